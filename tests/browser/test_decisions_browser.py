"""Deciding faster in a real browser: the officer ticks the best proposal per need with one link and
approves the batch, landing back on the row acted on; a provider opens the decline box only to decline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.browser.test_pages_fit import open_as

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def decisions(story_database) -> dict[str, int]:
    """A finished run with two proposals for one need and one for another, and an approved proposal
    awaiting the provider."""
    from capmatch.auth.models import User
    from tests.factories import breakdown, make_need, make_offer, make_run, put_proposal

    url, people = story_database
    engine = sa.create_engine(url)
    with Session(engine) as session:
        requester_org = session.scalar(sa.select(User.organization_id).where(User.email == people.requester))
        provider_org = session.scalar(sa.select(User.organization_id).where(User.email == people.provider))
        start = date.today() + timedelta(days=60)
        needs = [make_need(session, requester_org_id=requester_org, start_by=start,
                           title=f"Judicial adviser {n} (decide)") for n in (1, 2, 3)]
        offers = [make_offer(session, provider_org_id=provider_org, available_from=date.today(),
                             title=f"Court clerk {n} (decide)") for n in (1, 2, 3, 4)]
        run = make_run(session)
        made = []
        pairs = ((needs[0], offers[0], 0.6), (needs[0], offers[1], 0.9), (needs[1], offers[2], 0.5))
        for need, offer, score in pairs:
            proposal = put_proposal(session, need, offer, "proposed", run_id=run.id)
            proposal.score, proposal.breakdown = score, breakdown(score)
            made.append(proposal)
        waiting = put_proposal(session, needs[2], offers[3], "approved")
        waiting.breakdown = breakdown(0.8)
        session.commit()
        ids = {"run": run.id, "weak": made[0].id, "best": made[1].id, "other": made[2].id, "waiting": waiting.id}
    engine.dispose()
    return ids


def test_the_officer_approves_the_best_proposal_per_need_in_two_clicks(browser, live_server, story_database,
                                                                       decisions, shots):
    context, page = open_as(browser, live_server, story_database, "officer", 1280)
    try:
        page.goto(f"/officer/runs/{decisions['run']}")
        page.click("#pick-best")
        page.wait_for_load_state()
        checked = page.eval_on_selector_all("input[name=ids]:checked", "boxes => boxes.map(b => Number(b.value))")
        assert sorted(checked) == sorted([decisions["best"], decisions["other"]])
        shots(page, "officer-run-best-per-need")
        page.click("button[name=action][value=approve]")
        page.wait_for_load_state()
        assert page.url.endswith(f"#proposal-{decisions['best']}")
        assert "2 proposals are approved." in page.inner_text(".flash")
        weak = page.locator(f"#proposal-{decisions['weak']} .badge").inner_text().strip()
        assert weak == "proposed"
    finally:
        context.close()


def test_the_provider_opens_the_decline_box_only_when_declining(browser, live_server, story_database, decisions,
                                                                 shots):
    context, page = open_as(browser, live_server, story_database, "provider", 390)
    try:
        page.goto("/provider/proposals")
        card = page.locator(f"#proposal-{decisions['waiting']}")
        reason = card.locator("textarea[name=reason]")
        assert not reason.is_visible()
        card.locator("details.decline-box > summary").click()
        assert reason.is_visible()
        shots(page, "provider-decline-open")
        assert card.locator("button:has-text('Confirm release')").is_visible()
    finally:
        context.close()

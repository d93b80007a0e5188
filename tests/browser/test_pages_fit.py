"""Every page of the story, as each person sees it, at a desktop's width and a phone's: axe-core finds no
accessibility violation, and no page is wider than the screen (nothing scrolls sideways at 390 px).

The marketplace is written straight into the story's database (a need in each state a requester
meets, offers, a finished run with its proposals and gaps), so each page has rows to show. Full-page
screenshots of every page at both widths go to test-artifacts/browser/pages/.

axe-core is vendored in tests/browser/vendor/ (package.json's devDependencies; `npm run vendor`). It is
evaluated in the page through the DevTools protocol, which the Content-Security-Policy does not apply to,
so the pages are checked under their real policy.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.browser.conftest import ARTIFACTS, Shots

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WIDTHS = {"desktop": 1280, "phone": 390}
ADMIN_EMAIL = "ada@story.example"


@pytest.fixture(scope="module")
def marketplace(story_database) -> dict[str, int]:
    """Needs, offers, a finished run with proposals in each state people act on, and an administrator."""
    from capmatch.auth.models import User
    from tests.factories import breakdown, make_gap, make_need, make_offer, make_run, make_user, put_proposal

    url, people = story_database
    engine = sa.create_engine(url)
    with Session(engine) as session:
        requester_org = session.scalar(sa.select(User.organization_id).where(User.email == people.requester))
        provider_org = session.scalar(sa.select(User.organization_id).where(User.email == people.provider))
        make_user(session, role="admin", full_name="Ada Administrator", email=ADMIN_EMAIL)
        start = date.today() + timedelta(days=60)
        needs = [make_need(session, requester_org_id=requester_org, start_by=start, urgency=urgency,
                           title=f"Corrections adviser, {place} (pages)", positions=positions)
                 for urgency, place, positions in (("high", "Juba", 2), ("normal", "Malakal", 1),
                                                  ("critical", "Wau", 1), ("normal", "Bor", 3))]
        offers = [make_offer(session, provider_org_id=provider_org, available_from=date.today(),
                             title=f"Senior prison officer {n} (pages)", expert_name=f"Expert {n} (pages)")
                  for n in range(1, 5)]
        run = make_run(session)
        proposals = []
        for need, offer, status in zip(needs, offers, ("proposed", "approved", "accepted", "confirmed")):
            proposal = put_proposal(session, need, offer, status, run_id=run.id)
            proposal.score, proposal.breakdown = 0.7, breakdown(0.7)
            proposals.append(proposal)
        make_gap(session, run, need=needs[3], unfilled=2)
        session.commit()
        ids = {"need": needs[0].id, "offer": offers[0].id, "run": run.id, "proposal": proposals[2].id}
    engine.dispose()
    return ids


def pages_by_person(ids: dict[str, int]) -> dict[str, list[str]]:
    return {
        "anonymous": ["/", "/needs", f"/needs/{ids['need']}", "/offers", f"/offers/{ids['offer']}", "/login"],
        "requester": ["/my/needs", "/my/needs/new", "/my/proposals", "/my/deployed", "/notifications",
                      f"/proposals/{ids['proposal']}", "/account", "/account/tokens"],
        "provider": ["/roster", "/roster/new", "/roster/import", "/provider/proposals", f"/proposals/{ids['proposal']}"],
        "officer": ["/officer", "/officer/runs", "/officer/runs/new", f"/officer/runs/{ids['run']}",
                    "/officer/proposals", "/officer/match", "/officer/audit", f"/proposals/{ids['proposal']}"],
        "admin": ["/admin", "/admin/users", "/admin/organizations", "/admin/taxonomies", "/admin/tokens"],
    }


def open_as(browser, live_server, story_database, who: str, width: int):
    _, people = story_database
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if who != "anonymous":
        page.goto("/login")
        page.fill("#f-email", ADMIN_EMAIL if who == "admin" else getattr(people, who))
        page.fill("#f-password", people.password)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url, page.inner_text("main")
    return context, page


def violations(page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)"
    )
    return found


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_every_page_of_the_story_passes_axe_and_fits_the_screen(browser, live_server, story_database,
                                                                  marketplace, screen):
    width = WIDTHS[screen]
    shots = Shots(ARTIFACTS / "pages" / screen)
    problems: list[str] = []
    for who, paths in pages_by_person(marketplace).items():
        context, page = open_as(browser, live_server, story_database, who, width)
        try:
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.status == 200, f"{who} {path}: {response and response.status}"
                shots(page, f"{who}-{slug(path)}")
                problems += [f"{who} {path}: {v}" for v in violations(page)]
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{who} {path}: {scroll_width} px wide on a {width} px screen")
        finally:
            context.close()
    assert problems == [], "\n".join(problems)


def test_a_need_form_with_errors_passes_axe_and_moves_focus_to_its_summary(browser, live_server, story_database,
                                                                            marketplace):
    context, page = open_as(browser, live_server, story_database, "requester", WIDTHS["phone"])
    try:
        page.goto("/my/needs/new")
        page.get_by_role("button", name="Publish", exact=True).click()
        page.wait_for_load_state()
        summary = page.locator(".error-summary")
        assert summary.count() == 1, page.inner_text("main")
        # The summary takes the keyboard's focus (autofocus), so a screen reader reads it and Tab goes on to the fields.
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        Shots(ARTIFACTS / "pages" / "errors")(page, "requester-need-form-errors")
        assert violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    finally:
        context.close()

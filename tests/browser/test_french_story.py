"""The marketplace's story in French, through a real browser that asks for French (Accept-Language: fr).

The requester posts a need (after a first try with mistakes, answered with French inline errors), the
provider lists an expert, the officer runs matching and approves, both sides consent, the need shows as
filled; then the officer opens a report. Every page the story visits is read for English interface text,
the data people typed aside (tests.i18n.english). Screenshots at a desktop's width and a phone's go to
test-artifacts/browser/french/{desktop,phone}/: the need form with its errors, the run page and a report
among them.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.browser.conftest import ARTIFACTS, Shots, fill_expert_form, fill_need_form, sign_in
from tests.i18n.english import leftovers
from tests.i18n.test_french_pages import typed_words

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
RUN_TIMEOUT_SECONDS = 60


class FrenchReader:
    """Reads each page a French story visits: it must be in French, its interface text all French."""

    def __init__(self, database_url) -> None:
        self.engine = sa.create_engine(database_url)
        self.problems: list[str] = []

    def __call__(self, page) -> None:
        assert page.locator("html").get_attribute("lang") == "fr", page.url
        with Session(self.engine) as session:
            data = typed_words(session)
        text = page.evaluate("""() => [document.title, document.body.innerText,
            ...[...document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')].flatMap(
                e => ['title', 'aria-label', 'placeholder', 'alt'].map(a => e.getAttribute(a)).filter(Boolean))
        ].join('\\n')""")
        self.problems += [f"{page.url}: {bit}" for bit in leftovers(text, data)]


@pytest.fixture
def french(browser, live_server, story_database):
    """french(role) -> a page in a French-speaking browser, signed in as that role (None: a visitor)."""
    _, people = story_database
    contexts = []

    def open_as(role: str | None, screen: str):
        context = browser.new_context(base_url=live_server, viewport=SCREENS[screen], locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role is not None:
            sign_in(page, getattr(people, role), people.password)
        return page

    yield open_as
    for context in contexts:
        context.close()


def press(page, selector: str, lands_on: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    with page.expect_navigation():
        page.locator(selector).first.click()
    assert re.search(lands_on, page.url), f"{selector} landed on {page.url}: {page.inner_text('main')[:500]}"


def badge(page, scope: str) -> str:
    return page.locator(f"{scope} .badge").first.inner_text().strip()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_story_reads_in_french_from_the_need_form_to_the_report(french, story_database, screen):
    url, _people = story_database
    read = FrenchReader(url)
    shots = Shots(ARTIFACTS / "french" / screen)
    need_title = f"Conseiller en gestion pénitentiaire ({screen})"
    offer_title = f"Officier pénitentiaire principal ({screen})"

    # 1. The requester's first try has mistakes: French inline errors, all at once.
    requester = french("requester", screen)
    requester.goto("/my/needs/new")
    read(requester)
    requester.fill("#f-title", need_title)
    requester.fill("#f-start_by", (date.today() - timedelta(days=3)).isoformat())
    requester.fill("#f-duration_months", "0")
    press(requester, "button[name=action][value=publish]", r"/my/needs")
    summary = requester.locator(".error-summary")
    assert summary.count() == 1
    assert "Choisissez le lieu d’affectation." in summary.inner_text()
    assert requester.evaluate("document.activeElement.classList.contains('error-summary')")
    read(requester)
    shots(requester, "need-form-errors")

    # 2. The need, corrected and published.
    fill_need_form(requester, language="fra",
                   terms="Conseiller le service pénitentiaire national sur la classification.")
    press(requester, "button[name=action][value=publish]", r"/my/needs(\?.*)?$")
    link = requester.get_by_role("link", name=need_title, exact=True)
    need_id = int(re.search(r"/(\d+)", link.get_attribute("href")).group(1))
    assert requester.locator("tr", has=link).locator(".badge").first.inner_text().strip() == "ouvert"
    read(requester)
    shots(requester, "need-posted")

    # 3. The provider lists an expert.
    provider = french("provider", screen)
    provider.goto("/roster/new")
    read(provider)
    fill_expert_form(provider, title=offer_title, name=f"Aminata Traoré {screen}",
                     summary="Douze ans à la tête de prisons de haute sécurité ; forme les surveillants.",
                     email=f"aminata.{screen}@story.example", nationality="SEN", language="fra",
                     skills=["prison_management"])
    press(provider, "form.offer-form button[type=submit]", r"/roster(\?.*)?$")
    read(provider)

    # 4. The officer runs matching, reads the run page in French and approves.
    officer = french("officer", screen)
    officer.goto("/officer/runs/new")
    read(officer)
    press(officer, "form.run-form button[type=submit]", r"/officer/runs/\d+$")
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while badge(officer, "#run-status") in ("en file d’attente", "en cours"):
        assert time.monotonic() < deadline, "the run did not finish"
        officer.wait_for_timeout(500)
    assert badge(officer, "#run-status") == "réussie", officer.inner_text("#run-status")
    officer.wait_for_selector("table.proposals")
    read(officer)
    shots(officer, "run-page")
    row = officer.locator("table.proposals tbody tr", has_text=need_title)
    assert row.count() == 1, officer.inner_text("main")
    row.locator("button[name=approve_one]").click()
    officer.wait_for_load_state()
    row = officer.locator("table.proposals tbody tr", has_text=need_title)
    assert row.locator(".badge").first.inner_text().strip() == "approuvée"

    # 5. Both sides consent, in French.
    requester.goto("/my/proposals")
    read(requester)
    shots(requester, "requester-inbox")
    requester.locator("form[action$='/accept'] button[type=submit]").first.click()
    requester.wait_for_load_state()
    provider.goto("/provider/proposals")
    read(provider)
    shots(provider, "provider-inbox")
    provider.locator("form:has(input[name=action][value=confirm]) button[type=submit]").first.click()
    provider.wait_for_load_state()
    read(provider)

    # 6. The need is filled, in French for a visitor too.
    visitor = french(None, screen)
    visitor.goto(f"/needs/{need_id}")
    assert badge(visitor, ".lede") == "pourvu", visitor.inner_text("main")
    read(visitor)
    visitor.goto("/")
    read(visitor)

    # 7. The officer's report, with French titles, axes and numbers.
    officer.goto("/reports/fill-rate")
    read(officer)
    assert re.search(r"\d+(,\d+)?\s?%", officer.inner_text("main")), "no French percentage on the report"
    shots(officer, "report")

    assert not read.problems, "English left on the French pages:\n" + "\n".join(read.problems[:40])

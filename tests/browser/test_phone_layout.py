"""On a phone the header's menu and a list's filters fold behind a button that opens without JavaScript;
on a desktop both show as usual. A list's headers sort it, and a filter changed afterwards keeps the order.
Screenshots go to test-artifacts/browser/layout/.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.browser.conftest import ARTIFACTS, Shots

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A header folded to one row: the brand and the menu button (a wrapped header was over 150 px).
FOLDED_HEADER_PX = 70


@pytest.fixture(scope="module")
def listed(story_database) -> None:
    """Three open needs whose orders by start and by urgency differ, and two offers."""
    from capmatch.auth.models import User
    from tests.factories import make_need, make_offer

    url, people = story_database
    engine = sa.create_engine(url)
    with Session(engine) as session:
        org = session.scalar(sa.select(User.organization_id).where(User.email == people.requester))
        for days, urgency, place in ((30, "normal", "Juba"), (60, "critical", "Wau"), (90, "high", "Bor")):
            make_need(session, requester_org_id=org, start_by=date.today() + timedelta(days=days), urgency=urgency,
                      title=f"Corrections adviser, {place} (layout)", area_code="corrections",
                      languages={"eng": 5, "fra": 4})
        provider = session.scalar(sa.select(User.organization_id).where(User.email == people.provider))
        for title in ("Senior corrections officer and trainer", "Prison classification adviser"):
            make_offer(session, provider_org_id=provider, title=f"{title} (layout)", areas=["corrections"],
                       languages={"eng": 6, "swa": 6}, available_from=date.today())
        session.commit()
    engine.dispose()


@pytest.fixture
def visit(browser, live_server):
    contexts = []

    def open_page(viewport: dict, signed_in_as: tuple[str, str] | None = None, javascript: bool = True):
        context = browser.new_context(base_url=live_server, viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if signed_in_as:
            page.goto("/login")
            page.fill("#f-email", signed_in_as[0])
            page.fill("#f-password", signed_in_as[1])
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_load_state()
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def shots() -> Shots:
    return Shots(ARTIFACTS / "layout")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_phone_the_menu_opens_from_its_button_and_leads_on(visit, story_database, shots, javascript):
    _, people = story_database
    page = visit(PHONE, (people.officer, people.password), javascript=javascript)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    assert page.locator("header.site").bounding_box()["height"] <= FOLDED_HEADER_PX
    shots(page, f"phone-menu-closed-{'js' if javascript else 'no-js'}")
    page.get_by_text("Menu", exact=True).click()
    assert nav.is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shots(page, f"phone-menu-open-{'js' if javascript else 'no-js'}")
    nav.get_by_role("link", name="Offers", exact=True).click()
    page.wait_for_url("**/offers")


def test_on_a_desktop_the_menu_is_the_usual_header_row(visit, story_database, shots):
    _, people = story_database
    page = visit(DESKTOP, (people.officer, people.password))
    page.goto("/")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Console").is_visible()
    assert page.locator("header.site").bounding_box()["height"] <= FOLDED_HEADER_PX
    shots(page, "desktop-header")


def test_on_a_phone_the_filters_fold_and_a_set_filter_opens_them(visit, listed, shots):
    page = visit(PHONE)
    page.goto("/needs")
    search = page.get_by_role("searchbox", name="Search")
    assert not search.is_visible()
    page.get_by_text("Filters", exact=True).click()
    assert search.is_visible()
    page.goto("/needs?cluster=justice")
    assert page.get_by_label("Cluster").is_visible()
    shots(page, "phone-needs-filtered")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("path", ["/needs", "/offers"])
def test_on_a_desktop_a_lists_rows_keep_to_two_lines(visit, listed, shots, path):
    page = visit(DESKTOP)
    page.goto(path)
    # Organizations are named by their acronyms (tests/browser/test_list_rows_and_dates.py: long names and titles).
    lines = page.evaluate("""() => [...document.querySelectorAll('table.results tbody tr')].map(row =>
        Math.max(...[...row.cells].map(cell => {
            // The text's own height: a cell is as tall as its row.
            const range = document.createRange();
            range.selectNodeContents(cell);
            return Math.round(range.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight));
        })))""")
    shots(page, f"desktop-{path.strip('/')}")
    assert lines and max(lines) <= 2, lines


def titles(page) -> list[str]:
    return [t.strip() for t in page.locator("table.results tbody th[scope=row]").all_inner_texts()]


def test_a_header_sorts_the_list_and_a_filter_changed_after_keeps_the_order(visit, listed, shots):
    page = visit(DESKTOP)
    page.goto("/needs?q=layout")
    assert page.get_by_label("Search").is_visible()  # no button to press on a desktop
    urgency = page.locator("th.sortable", has_text="Urgency")
    urgency.get_by_role("link").click()
    page.wait_for_url("**sort=-urgency**")
    assert urgency.get_attribute("aria-sort") == "descending"
    assert titles(page) == [f"Corrections adviser, {p} (layout)" for p in ("Wau", "Bor", "Juba")]
    page.get_by_label("Cluster").select_option("justice")
    page.wait_for_url("**cluster=justice**")
    assert "sort=-urgency" in page.url and "q=layout" in page.url
    assert titles(page) == [f"Corrections adviser, {p} (layout)" for p in ("Wau", "Bor", "Juba")]
    shots(page, "desktop-needs-sorted")
    # On a phone the sortable headers stay, as a row of links above the cards.
    phone = visit(PHONE)
    phone.goto("/needs?q=layout&sort=-urgency")
    start = phone.locator("th.sortable", has_text="Start by").get_by_role("link")
    assert start.is_visible()
    start.click()
    phone.wait_for_url("**sort=start_by**")
    assert titles(phone) == [f"Corrections adviser, {p} (layout)" for p in ("Juba", "Wau", "Bor")]
    shots(phone, "phone-needs-sorted")

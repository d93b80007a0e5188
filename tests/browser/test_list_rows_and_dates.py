"""At a desktop's width (1280 px) a row of the needs list keeps to two lines, whatever the length of its
title, its organization's name, its duty station or its languages; and beside every date input the date
picked reads as the interface writes dates ("2 Mar 2027"), whatever the browser's own format.
Screenshots go to test-artifacts/browser/rows/.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.browser.conftest import ARTIFACTS, Shots, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
LONG_TITLE = ("Senior adviser on prison management, the classification of detainees, and the training of shift "
              "supervisors and trainers at the central prison and the regional detention centres")
LONG_NAME = "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo (rows)"
NO_ACRONYM = "Ministry of Justice, Human Rights and Constitutional Affairs of the Republic (rows)"


@pytest.fixture(scope="module")
def long_needs(story_database) -> None:
    """Needs with the longest words a list meets: titles, organizations with and without an acronym,
    countries, areas, three languages, with and without an answer-by date."""
    from tests.factories import make_need, make_organization

    url, _ = story_database
    engine = sa.create_engine(url)
    with Session(engine) as session:
        mission = make_organization(session, name=LONG_NAME, acronym="MONUSCO-R", kind="un_entity",
                                    country_iso3="COD", may_request=True, may_provide=False)
        ministry = make_organization(session, name=NO_ACRONYM, acronym=None, kind="host_government_ministry",
                                     country_iso3="SSD", may_request=True, may_provide=False)
        start = date.today() + timedelta(days=90)
        for org, country, area, answer_by in (
            (mission, "COD", "ddr", start - timedelta(days=30)),
            (ministry, "GBR", "political_party_development", None),
            (mission, "BOL", "public_financial_management", start - timedelta(days=14)),
        ):
            make_need(session, requester_org_id=org.id, duty_country_iso3=country, area_code=area, title=LONG_TITLE,
                      start_by=start, answer_by=answer_by, urgency="critical", positions=12, duration_months=24,
                      languages={"fra": 5, "eng": 4, "swa": 3})
        session.commit()
    engine.dispose()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def shots() -> Shots:
    return Shots(ARTIFACTS / "rows")


def test_at_1280_px_every_row_of_the_needs_list_keeps_to_two_lines(page, long_needs, shots):
    page.goto("/needs")
    # Each row's height inside its cells' padding, in lines of the list's line height.
    lines = page.evaluate("""() => [...document.querySelectorAll('table.results tbody tr')].map(row => {
        const style = getComputedStyle(row.cells[0]);
        const inside = row.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
                       - parseFloat(style.borderBottomWidth);
        return Math.round(inside / parseFloat(style.lineHeight));
    })""")
    shots(page, "desktop-needs-long")
    assert len(lines) >= 3 and max(lines) <= 2, lines
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    # The whole row in view: the table does not scroll sideways in its box either.
    assert page.evaluate("(box => box.scrollWidth <= box.clientWidth)(document.querySelector('.table-scroll'))")
    # What a row cannot show whole, it shows on hover, and its acronym says the organization's full name.
    row = page.locator("table.results tbody tr", has_text="MONUSCO-R").first
    assert row.locator("th a").get_attribute("title") == LONG_TITLE
    assert row.locator("abbr").get_attribute("title") == LONG_NAME
    assert page.locator(f"table.results [title='{NO_ACRONYM}']").count() >= 1


def test_beside_a_date_input_the_date_picked_reads_as_the_interface_writes_dates(page, story_database, shots):
    _, people = story_database
    sign_in(page, people.requester, people.password)
    page.goto("/my/needs/new")
    reading = page.locator("#f-start_by-reading")
    assert reading.inner_text() == ""
    page.fill("#f-start_by", "2027-03-02")
    assert reading.inner_text() == "2 Mar 2027"
    page.fill("#f-answer_by", "2027-01-15")
    assert page.locator("#f-answer_by-reading").inner_text() == "15 Jan 2027"
    page.fill("#f-start_by", "")
    assert reading.inner_text() == ""
    page.fill("#f-start_by", "2027-03-02")
    shots(page, "desktop-need-form-dates")
    # Sent with another field missing, the form comes back with the date read out by the server.
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#f-start_by-reading").inner_text() == "2 Mar 2027"

"""The public lists sort by the columns people sort by, on the page (its headers) and in the API (`sort`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.support import error_fields
from tests.factories import make_need, make_offer
from tests.web.html import parse

# title: start by, urgency, positions, posted, answer by
NEEDS = {
    "Alpha adviser": (date(2027, 3, 1), "high", 2, datetime(2026, 10, 1, tzinfo=UTC), date(2026, 12, 20)),
    "Bravo adviser": (date(2027, 1, 1), "critical", 1, datetime(2026, 11, 1, tzinfo=UTC), None),
    "Charlie adviser": (date(2027, 5, 1), "low", 5, datetime(2026, 9, 1, tzinfo=UTC), date(2027, 4, 1)),
}
# Each key, and the needs in its ascending order (urgency by rank: low, normal, high, critical; answer by:
# the start-by date of a need without one).
NEED_ORDERS = {
    "start_by": ["Bravo adviser", "Alpha adviser", "Charlie adviser"],
    "answer_by": ["Alpha adviser", "Bravo adviser", "Charlie adviser"],
    "urgency": ["Charlie adviser", "Alpha adviser", "Bravo adviser"],
    "positions": ["Bravo adviser", "Alpha adviser", "Charlie adviser"],
    "posted": ["Charlie adviser", "Alpha adviser", "Bravo adviser"],
}
# title: available from, years of experience, posted
OFFERS = {
    "Alpha expert": (date(2026, 12, 1), 12, datetime(2026, 10, 1, tzinfo=UTC)),
    "Bravo expert": (date(2027, 2, 1), 5, datetime(2026, 11, 1, tzinfo=UTC)),
    "Charlie expert": (date(2026, 11, 1), 20, datetime(2026, 9, 1, tzinfo=UTC)),
}
OFFER_ORDERS = {
    "available_from": ["Charlie expert", "Alpha expert", "Bravo expert"],
    "experience": ["Bravo expert", "Alpha expert", "Charlie expert"],
    "posted": ["Charlie expert", "Alpha expert", "Bravo expert"],
}


@pytest.fixture
def needs(session):
    for title, (start_by, urgency, positions, posted, answer_by) in NEEDS.items():
        make_need(session, title=title, start_by=start_by, urgency=urgency, positions=positions, created_at=posted,
                  answer_by=answer_by, terms_of_reference="Advise the prison service.")
    session.commit()


@pytest.fixture
def offers(session):
    for title, (available_from, years, posted) in OFFERS.items():
        make_offer(session, title=title, available_from=available_from, years_experience=years, created_at=posted,
                   summary="Runs prisons.")
    session.commit()


def listed(client, path: str) -> list[str]:
    doc = parse(client.get(path).text)
    return [row.find("a").text for row in doc.find("table", class_="results").find("tbody").find_all("tr")]


def headers(client, path: str) -> dict[str, dict[str, str]]:
    """The sortable headers of a list page: their text, to the link's query and aria-sort."""
    doc = parse(client.get(path).text)
    found = {}
    for th in doc.find("thead").find_all("th", class_="sortable"):
        link = th.find("a")
        query = {k: v[0] for k, v in parse_qs(urlsplit(link.get("href")).query).items()}
        found[link.text.rstrip("▲▼")] = {**query, "aria-sort": th.get("aria-sort")}
    return found


@pytest.mark.parametrize(("path", "key"), [*(("needs", key) for key in NEED_ORDERS),
                                           *(("offers", key) for key in OFFER_ORDERS)])
def test_the_page_and_the_api_sort_by_each_key_both_ways(client, needs, offers, path, key):
    ascending = (NEED_ORDERS if path == "needs" else OFFER_ORDERS)[key]
    assert listed(client, f"/{path}?sort={key}") == ascending
    assert listed(client, f"/{path}?sort=-{key}") == ascending[::-1]
    for value, order in ((key, ascending), (f"-{key}", ascending[::-1])):
        api = client.get(f"/api/v1/{path}?sort={value}")
        assert api.status_code == 200, api.text
        assert [item["title"] for item in api.json()["items"]] == order


def test_a_list_without_a_sort_shows_the_soonest_first_and_says_so_on_its_header(client, needs, offers):
    assert listed(client, "/needs") == NEED_ORDERS["start_by"]
    assert listed(client, "/offers") == OFFER_ORDERS["available_from"]
    shown = headers(client, "/needs")
    assert shown["Start by"]["aria-sort"] == "ascending"
    assert [h["aria-sort"] for name, h in shown.items() if name != "Start by"] == [None, None, None, None]


def test_a_header_sorts_its_usual_way_first_then_reverses_and_keeps_the_filters(client, needs):
    shown = headers(client, "/needs?cluster=justice&urgency=high&page=1")
    # The first click: most positions, most urgent, newest first; start by, already soonest first, reverses.
    # The filters are kept, and the link goes back to the first page.
    assert {name: h["sort"] for name, h in shown.items()} == {
        "Positions": "-positions", "Answer by": "answer_by", "Start by": "-start_by", "Urgency": "-urgency",
        "Posted": "-posted"}
    assert all(h["cluster"] == "justice" and h["urgency"] == "high" and "page" not in h for h in shown.values())
    shown = headers(client, "/needs?cluster=justice&sort=-urgency")
    assert shown["Urgency"] == {"cluster": "justice", "sort": "urgency", "aria-sort": "descending"}
    assert shown["Start by"]["sort"] == "start_by" and shown["Start by"]["aria-sort"] is None


def test_filters_and_pages_keep_the_order_asked_for(client, session, needs):
    make_need(session, title="Delta electoral adviser", area_code="elections", duty_country_iso3="LBR", positions=9)
    session.commit()
    assert listed(client, "/needs?cluster=justice&sort=-positions") == NEED_ORDERS["positions"][::-1]
    doc = parse(client.get("/needs?cluster=justice&sort=-positions").text)
    # The filter form sends the order again (its hidden field sits in the results, tied to the form).
    kept = doc.find("input", name="sort")
    assert (kept.get("value"), kept.get("form")) == ("-positions", "needs-filters")
    assert doc.by_id("needs-filters").tag == "form"
    for i in range(25):
        make_need(session, title=f"Filler adviser {i:02d}")
    session.commit()
    doc = parse(client.get("/needs?sort=-positions").text)
    next_page = doc.find("a", rel="next").get("href")
    assert parse_qs(urlsplit(next_page).query) == {"sort": ["-positions"], "page": ["2"]}


def test_a_search_ranks_by_match_unless_an_order_is_asked_for(client, session, needs):
    make_need(session, title="Prison adviser", terms_of_reference="Prison reform.", start_by=date(2028, 1, 1))
    session.commit()
    assert listed(client, "/needs?q=prison")[0] == "Prison adviser"  # the title matches: best first
    assert headers(client, "/needs?q=prison")["Start by"]["aria-sort"] is None
    assert listed(client, "/needs?q=prison&sort=start_by") == [*NEED_ORDERS["start_by"], "Prison adviser"]
    api = client.get("/api/v1/needs?q=prison&sort=-start_by").json()
    assert [n["title"] for n in api["items"]][0] == "Prison adviser" and api["total"] == 4


@pytest.mark.parametrize("path", ["/api/v1/needs?sort=title", "/api/v1/needs?sort=--posted",
                                  "/api/v1/offers?sort=urgency", "/api/v1/offers?sort="])
def test_the_api_refuses_an_order_it_does_not_know_naming_the_field(client, path):
    response = client.get(path)
    assert response.status_code == 422, response.text
    assert error_fields(response) == ["sort"]


def test_a_page_ignores_an_order_it_does_not_know(client, needs, offers):
    assert listed(client, "/needs?sort=title") == NEED_ORDERS["start_by"]
    assert listed(client, "/offers?sort=-urgency") == OFFER_ORDERS["available_from"]
    doc = parse(client.get("/needs?sort=title").text)
    assert doc.find("input", name="sort") is None  # nothing unknown is sent on


def test_the_needs_list_shows_the_answer_by_date_duration_and_when_posted(client, needs):
    doc = parse(client.get("/needs").text)
    bravo, alpha = doc.find("tbody").find_all("tr")[:2]
    assert bravo.find("td", data_label="Start by").text == "1 Jan 2027 for 12 months"
    assert bravo.find("td", data_label="Posted").text == "1 Nov 2026"
    assert alpha.find("td", data_label="Answer by").text == "20 Dec 2026"
    # Without an answer-by date, offers are taken until the start: that is the date shown, said so on hover.
    until_start = bravo.find("td", data_label="Answer by").find("time")
    assert (until_start.text, until_start.attrs["datetime"]) == ("1 Jan 2027", "2027-01-01")
    assert "until the start date" in until_start.attrs["title"]


@pytest.mark.parametrize("path", ["/needs", "/offers"])
def test_the_filters_fold_behind_a_button_open_once_a_filter_is_set(client, path):
    def box(query):
        return parse(client.get(path + query).text).find("details", class_="filter-box")

    assert box("").find("summary").text == "Filters"
    assert box("").get("open") is None
    assert box("?sort=posted").get("open") is None  # an order is not a filter
    assert box("?cluster=justice").get("open") is not None

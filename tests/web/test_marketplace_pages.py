"""The public marketplace pages: open needs and anonymized offers, filters, search, pages, htmx partials."""

from __future__ import annotations

from datetime import date

from tests.factories import make_need, make_offer, make_organization, make_user
from tests.web.html import parse


def test_the_needs_page_lists_open_needs_only(client, session):
    make_need(session, title="Prison management adviser")
    make_need(session, title="Unpublished draft post", status="draft")
    make_need(session, title="Cancelled post", status="cancelled")
    session.commit()
    doc = parse(client.get("/needs").text)
    titles = [a.text for a in doc.find("table", class_="results").find("tbody").find_all("a")]
    assert titles == ["Prison management adviser"]
    assert doc.by_id("results").get("aria-live") == "polite"
    assert "1 open need" in doc.by_id("result-count").text


def test_filters_and_search_narrow_the_needs(client, session):
    make_need(session, title="Electoral logistics adviser", area_code="elections", duty_country_iso3="LBR",
              terms_of_reference="Plan the voter registration.", urgency="critical", languages={"fra": 5})
    make_need(session, title="Corrections adviser", urgency="normal")
    session.commit()

    def titles(query):
        doc = parse(client.get("/needs" + query).text)
        return sorted(a.text for a in doc.find_all("a") if a.get("href", "").startswith("/needs/"))

    assert titles("?country=LBR") == ["Electoral logistics adviser"]
    assert titles("?cluster=justice") == ["Corrections adviser"]
    assert titles("?area=elections") == ["Electoral logistics adviser"]
    assert titles("?language=fra") == ["Electoral logistics adviser"]
    assert titles("?urgency=critical") == ["Electoral logistics adviser"]
    assert titles("?q=voter+registration") == ["Electoral logistics adviser"]
    assert titles("?urgency=bogus") == ["Corrections adviser", "Electoral logistics adviser"]
    # The chosen filter is shown selected.
    doc = parse(client.get("/needs?country=LBR").text)
    assert doc.by_id("f-country").find("option", selected=True).get("value") == "LBR"


def test_a_search_ranks_title_matches_first_pages_through_them_and_counts_them_all(client, session):
    org = make_organization(session, kind="un_entity", may_request=True, may_provide=False)
    for i in range(22):
        make_need(session, requester_org_id=org.id, title=f"Corrections adviser {i:02d}",
                  languages={"fra": 5, "eng": 4} if i == 0 else {})
    for i in range(3):
        make_need(session, requester_org_id=org.id, title=f"Prison governor {i}",
                  terms_of_reference="Work beside the mission's corrections adviser.")
    make_need(session, requester_org_id=org.id, title="Electoral officer", terms_of_reference="Run the count.")
    session.commit()

    def page(n):
        doc = parse(client.get(f"/needs?cluster=justice&q=adviser&page={n}").text)
        rows = doc.find("tbody").find_all("tr") if doc.find("tbody") else []
        return doc.by_id("result-count").text, [r.find("a").text for r in rows], rows

    count, titles, rows = page(1)
    assert count == "25 open needs matching “adviser”"
    assert len(titles) == 20 and all(t.startswith("Corrections adviser") for t in titles)
    first = next(r for r in rows if r.find("a").text == "Corrections adviser 00")
    assert first.find("td", data_label="Languages").text == "French C1, English B2"
    # Lists name an organization by its acronym, the full name on hover.
    requester = first.find("td", data_label="Requested by").find("abbr")
    assert (requester.text, requester.attrs["title"]) == (org.acronym, org.name)
    count, titles, _ = page(2)
    assert count.startswith("25 open needs") and len(titles) == 5
    assert titles[-3:] == ["Prison governor 0", "Prison governor 1", "Prison governor 2"]
    count, titles, _ = page(9)  # past the last page: nothing listed, the count still true
    assert count.startswith("25 open needs") and titles == []


def test_pages_are_linked_and_keep_the_filters(client, session):
    org = make_organization(session, kind="un_entity", may_request=True, may_provide=False)
    for i in range(45):
        make_need(session, requester_org_id=org.id, title=f"Adviser number {i:02d}", start_by=date(2027, 1, 1 + i % 28))
    session.commit()
    doc = parse(client.get(f"/needs?country=SSD").text)
    assert len(doc.find("table", class_="results").find("tbody").find_all("tr")) == 20
    nav = doc.find("nav", class_="pagination")
    assert nav.find(aria_current="page").text == "1"
    hrefs = [a.get("href") for a in nav.find_all("a")]
    assert "/needs?country=SSD&page=3" in hrefs
    page3 = parse(client.get("/needs?country=SSD&page=3").text)
    assert len(page3.find("tbody").find_all("tr")) == 5


def test_htmx_gets_just_the_results_and_a_plain_request_the_whole_page(client, session):
    make_need(session, title="Mediation adviser", area_code="mediation")
    session.commit()
    partial = client.get("/needs?area=mediation", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "<form" not in partial.text
    assert "Mediation adviser" in parse(partial.text).text
    assert "HX-Request" in partial.headers["vary"]
    full = parse(client.get("/needs?area=mediation").text)
    form = full.find("form", class_="filters")
    assert form.get("method") == "get" and form.get("action") == "/needs"  # works without JavaScript
    assert form.get("hx-get") == "/needs" and form.get("hx-target") == "#results"
    assert full.find("script").get("src").endswith("/static/vendor/htmx.min.js")  # served here, no CDN


def test_the_vendored_htmx_is_served_by_the_app(client):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200 and "htmx" in response.text[:2000]


def test_a_need_page_shows_its_details(client, session):
    need = make_need(session, title="Public finance adviser", terms_of_reference="Draft the budget law.",
                     languages={"por": 5})
    session.commit()
    doc = parse(client.get(f"/needs/{need.id}").text)
    assert doc.find("h1").text == "Public finance adviser"
    assert "Draft the budget law." in doc.text and "Portuguese at C1 or better" in doc.text
    assert doc.find("a", href=f"/my/needs/{need.id}/edit") is None  # not the visitor's to edit


def test_a_filled_need_stays_public_on_its_own_page_but_leaves_the_list(client, session):
    need = make_need(session, title="Filled prosecutor post", status="filled")
    session.commit()
    doc = parse(client.get(f"/needs/{need.id}").text)
    assert doc.find("h1").text == "Filled prosecutor post"
    assert doc.find("p", class_="lede").find("span", class_="badge").text == "filled"
    assert "Filled prosecutor post" not in client.get("/needs").text


def test_an_unknown_or_draft_need_is_not_found(client, session):
    draft = make_need(session, status="draft")
    session.commit()
    assert client.get(f"/needs/{draft.id}").status_code == 404
    response = client.get("/needs/999999")
    assert response.status_code == 404 and "Not found" in parse(response.text).find("h1").text


def test_public_offer_pages_never_show_expert_names_or_emails(client, session, login):
    provider = make_organization(session, name="Kenya Prisons Service")
    offer = make_offer(session, provider_org_id=provider.id, title="Corrections trainer",
                       expert_name="Wanjiru Kamau", expert_email="wanjiru@prisons.example")
    session.commit()
    for path in ("/offers", f"/offers/{offer.id}", "/offers?q=corrections"):
        text = client.get(path).text
        assert "Corrections trainer" in text
        assert "Wanjiru" not in text and "wanjiru@" not in text
    # Not even the provider's own user sees the name on the public pages.
    login(make_user(session, role="provider", organization_id=provider.id))
    assert "Wanjiru" not in client.get(f"/offers/{offer.id}").text
    assert "Wanjiru" not in client.get("/offers").text


def test_offer_filters(client, session):
    make_offer(session, title="Border management team", kind="expert_team", expert_name=None,
               nationality_iso3=None, areas=["border_management"])
    make_offer(session, title="Prison expert", nationality_iso3="GHA")
    make_offer(session, title="Withdrawn expert", status="withdrawn")
    session.commit()

    def titles(query):
        doc = parse(client.get("/offers" + query).text)
        return sorted(a.text for a in doc.find_all("a") if a.get("href", "").startswith("/offers/"))

    assert titles("") == ["Border management team", "Prison expert"]
    assert titles("?kind=expert_team") == ["Border management team"]
    assert titles("?country=GHA") == ["Prison expert"]
    assert titles("?area=border_management") == ["Border management team"]

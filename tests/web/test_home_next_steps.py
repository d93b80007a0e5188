"""The home page says what a visitor can do next, and its clusters lead to their needs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.factories import make_need, make_organization, make_user
from tests.web.html import parse


def next_steps(client) -> dict[str, str]:
    """The home page's next steps: each link's text to its path."""
    section = parse(client.get("/").text).find("ul", class_="next-steps")
    return {a.text: urlsplit(a.get("href")).path for a in section.find_all("a")}


def test_a_visitor_is_offered_the_needs_the_offers_and_joining(client):
    assert next_steps(client) == {"Browse the open needs": "/needs", "See the experts on offer": "/offers",
                                  "Join the marketplace": "/join"}
    for path in next_steps(client).values():
        assert client.get(path).status_code == 200


def test_a_provider_is_offered_its_roster_and_a_requester_a_new_need(client, session, login):
    provider = make_user(session, role="provider", organization_id=make_organization(session).id)
    login(provider)
    steps = next_steps(client)
    assert steps["Offer an expert"] == "/roster/new" and "Join the marketplace" not in steps
    mission = make_organization(session, kind="un_entity", may_request=True, may_provide=False)
    client.cookies.clear()
    login(make_user(session, role="requester", organization_id=mission.id))
    assert next_steps(client)["Post a need"] == "/my/needs/new"


def test_each_cluster_row_links_to_the_needs_of_that_cluster(client, session):
    make_need(session, title="Corrections adviser on the home page", area_code="corrections")
    session.commit()
    doc = parse(client.get("/").text)
    links = {a.text: a.get("href") for a in doc.by_id("clusters").parent.find("table").find_all("a")}
    justice = urlsplit(links["Justice"])
    assert (justice.path, parse_qs(justice.query)) == ("/needs", {"cluster": ["justice"]})
    listed = parse(client.get(f"{justice.path}?{justice.query}").text).find("tbody").text
    assert "Corrections adviser on the home page" in listed
    assert len(links) >= 3

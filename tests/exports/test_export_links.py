"""Every list page links to "export what I see", carrying its current filters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.web.html import parse


def export_links(html: str) -> dict[str, dict[str, list[str]]]:
    """The page's export links: path -> its query."""
    links = {}
    for a in parse(html).find_all("a"):
        href = a.get("href", "")
        if href.startswith("/api/v1/exports/"):
            parts = urlsplit(href)
            links[parts.path] = parse_qs(parts.query)
    return links


def test_the_needs_list_exports_what_it_shows_with_its_filters(client, market):
    links = export_links(client.get("/needs", params={"area": "elections", "q": "adviser"}).text)
    assert set(links) == {f"/api/v1/exports/needs.{f}" for f in ("csv", "xlsx", "json", "hxl")}
    query = links["/api/v1/exports/needs.csv"]
    assert query == {"q": ["adviser"], "area": ["elections"], "status": ["open", "partially_filled"]}
    response = client.get("/api/v1/exports/needs.json", params=query)
    assert [r["need_id"] for r in response.json()] == [market.needs["elections"].id]


def test_the_offers_list_exports_with_its_filters(client, market):
    links = export_links(client.get("/offers", params={"kind": "individual_expert", "country": "NOR"}).text)
    query = links["/api/v1/exports/offers.hxl"]
    assert query == {"country": ["NOR"], "kind": ["individual_expert"]}
    rows = client.get("/api/v1/exports/offers.json", params=query).json()
    assert [r["offer_id"] for r in rows] == [market.offers["rival"].id]
    assert rows[0]["expert_name"] is None  # the public's export is anonymized


def test_the_signed_in_lists_link_to_their_exports(client, login, market):
    login(market.users["requester"])
    mine = export_links(client.get("/my/needs", params={"status": "draft"}).text)
    assert mine["/api/v1/exports/needs.csv"] == {"requester": [str(market.mission.id)], "status": ["draft"]}
    assert [r["need_id"] for r in client.get("/api/v1/exports/needs.json", params=mine[
        "/api/v1/exports/needs.csv"]).json()] == [market.needs["draft"].id]
    assert "/api/v1/exports/deployments.csv" in export_links(client.get("/my/deployed").text)


def test_the_officers_lists_link_to_proposals_and_gaps(client, login, market):
    login(market.users["officer"])
    review = export_links(client.get("/officer/proposals", params={"status": "proposed"}).text)
    assert review["/api/v1/exports/proposals.xlsx"] == {"status": ["proposed"]}
    gaps = export_links(client.get(f"/officer/runs/{market.run.id}", params={"tab": "gaps"}).text)
    assert gaps["/api/v1/exports/gaps.csv"] == {"run": [str(market.run.id)]}

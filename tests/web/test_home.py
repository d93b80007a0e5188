"""The home page shows the marketplace's real figures."""

from __future__ import annotations

from tests.factories import make_need, make_offer
from tests.web.html import parse


def figures(client) -> dict[str, str]:
    page = parse(client.get("/").text)
    return {dd.get("data-figure"): dd.text for dd in page.find_all("dd") if dd.get("data-figure")}


def test_the_home_page_counts_what_is_in_the_database(client, session):
    before = figures(client)
    make_need(session, positions=3)
    make_need(session, status="draft")  # not open: not counted
    make_offer(session)
    make_offer(session, status="withdrawn")  # not available: not counted
    session.commit()

    after = figures(client)
    assert int(after["open-needs"]) == int(before["open-needs"]) + 1
    assert int(after["open-positions"]) == int(before["open-positions"]) + 3
    assert int(after["available-offers"]) == int(before["available-offers"]) + 1


def test_the_home_page_lists_every_capacity_cluster(client):
    page = parse(client.get("/").text)
    clusters = [th.text for th in page.find_all("th", scope="row")]
    assert {"Safety and security", "Justice", "Core government functionality"} <= set(clusters)

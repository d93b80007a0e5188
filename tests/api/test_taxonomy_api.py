"""The reference data endpoints: clusters with areas, areas, countries and languages."""

from __future__ import annotations

import pytest


def test_clusters_come_with_their_areas_in_order(client):
    body = client.get("/api/v1/clusters").json()
    assert body["total"] == len(body["items"]) >= 5
    justice = next(c for c in body["items"] if c["code"] == "justice")
    assert justice["name"] == "Justice"
    assert [a["code"] for a in justice["areas"]][:3] == ["judicial_reform", "prosecution", "corrections"]
    assert body["items"][0]["code"] == "safety_security"


def test_areas_filter_by_cluster(client):
    everything = client.get("/api/v1/areas", params={"page_size": 200}).json()
    justice = client.get("/api/v1/areas", params={"cluster": "justice"}).json()
    assert everything["total"] > justice["total"] > 0
    assert {a["cluster"] for a in justice["items"]} == {"justice"}
    assert "corrections" in [a["code"] for a in justice["items"]]


def test_countries_filter_by_region_global_south_and_name(client):
    africa = client.get("/api/v1/countries", params={"region": "africa", "page_size": 200}).json()
    assert africa["total"] >= 50 and {c["region"] for c in africa["items"]} == {"Africa"}
    north = client.get("/api/v1/countries", params={"global_south": "false", "page_size": 200}).json()
    assert "NOR" in [c["iso3"] for c in north["items"]] and "KEN" not in [c["iso3"] for c in north["items"]]
    south = client.get("/api/v1/countries", params={"global_south": "true", "q": "ken"}).json()
    assert [c["iso3"] for c in south["items"]] == ["KEN"]
    assert client.get("/api/v1/countries", params={"q": "SSD"}).json()["items"][0]["name"] == "South Sudan"
    west = client.get("/api/v1/countries", params={"region": "Western Africa", "page_size": 200}).json()
    assert "GHA" in [c["iso3"] for c in west["items"]] and "KEN" not in [c["iso3"] for c in west["items"]]


def test_languages_are_found_by_name_or_code(client):
    french = client.get("/api/v1/languages", params={"q": "french"}).json()
    assert "fra" in [lang["code"] for lang in french["items"]]
    assert client.get("/api/v1/languages", params={"q": "fr"}).json()["items"][0]["code"] == "fra"
    assert client.get("/api/v1/languages", params={"q": "tet"}).json()["items"][0]["name"] == "Tetum"


def test_countries_are_paged_with_the_common_shape(client):
    first = client.get("/api/v1/countries", params={"page_size": 200}).json()
    second = client.get("/api/v1/countries", params={"page_size": 200, "page": 2}).json()
    assert first["total"] == second["total"] > 200
    assert len(first["items"]) + len(second["items"]) == first["total"]
    assert not {c["iso3"] for c in first["items"]} & {c["iso3"] for c in second["items"]}


@pytest.mark.parametrize("path", ["/api/v1/clusters", "/api/v1/areas", "/api/v1/countries", "/api/v1/languages"])
@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page_size": 201}])
def test_out_of_range_paging_is_422_naming_the_parameter(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == next(iter(params))


def test_a_bad_flag_is_422(client):
    response = client.get("/api/v1/countries", params={"global_south": "sometimes"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "global_south"


def test_the_openapi_document_and_docs_describe_the_catalogue(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/clusters", "/api/v1/areas", "/api/v1/countries", "/api/v1/languages",
                 "/api/v1/organizations/{organization_id}", "/api/v1/needs/{need_id}/cancel",
                 "/api/v1/offers/{offer_id}/withdraw"):
        assert path in paths
    assert set(paths["/api/v1/needs"]) == {"get", "post"}
    assert client.get("/docs").status_code == 200

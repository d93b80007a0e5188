"""Who may see and change what, proved over every API route rather than one endpoint at a time.

The rule that matters most: no provider reads or changes another provider's experts' personal
data (name, e-mail, past employers) through any endpoint, and public reads never carry it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from capmatch.offers.models import Offer
from tests.api.support import make_org, make_user

SECRETS = ("Amina Odhiambo", "amina.secret@example.org", "Kamiti Maximum Prison")


@pytest.fixture
def world(client, session, bearer):
    kenya = make_org(session, "Kenya Prisons Service")
    norway = make_org(session, "Norwegian Crisis Response Pool", country="NOR")
    mission = make_org(session, "UN Mission in South Sudan", kind="un_entity", country="SSD", request=True,
                       provide=False)
    users = {
        "owner": make_user(session, "provider", kenya),
        "rival": make_user(session, "provider", norway),
        "requester": make_user(session, "requester", mission),
        "officer": make_user(session, "officer"),
        "admin": make_user(session, "admin"),
    }
    h = {name: bearer(user) for name, user in users.items()}
    session.commit()
    offer = client.post("/api/v1/offers", headers=h["owner"], json={
        "kind": "individual_expert", "title": "Senior corrections officer",
        "summary": "Runs high-security prisons.", "expert_name": SECRETS[0], "expert_email": SECRETS[1],
        "nationality": "KEN", "gender": "female", "years_experience": 15, "areas": ["corrections"],
        "languages": [{"code": "eng", "level": "C1"}], "available_from": date.today().isoformat(),
        "cost_bearer": "provider",
        "past_deployments": [{"country": "KEN", "organization_name": SECRETS[2], "role": "Deputy governor",
                              "started_on": "2015-01-01", "ended_on": "2018-01-01", "appraisal": 4}],
    })
    assert offer.status_code == 201, offer.text
    need = client.post("/api/v1/needs", headers=h["requester"], json={
        "duty_country": "SSD", "title": "Prison adviser", "area": "corrections",
        "start_by": (date.today() + timedelta(days=20)).isoformat(), "duration_months": 6,
        "modality": "deployed_expert", "funding": "requester_paid"})
    assert need.status_code == 201, need.text
    return {"h": h, "offer_id": offer.json()["id"], "need_id": need.json()["id"], "kenya": kenya}


CATALOGUE = tuple(f"/api/v1/{p}" for p in ("offers", "needs", "organizations", "clusters", "areas", "countries",
                                            "languages"))
# An organization's people and invitations are its focal points' and the administrator's, not the catalogue's.
NOT_CATALOGUE = re.compile(r"^/api/v1/organizations/\{organization_id\}/(people|invitations)")


def api_routes(app):
    """(METHOD, path) of every JSON API operation, read from the OpenAPI document the app serves."""
    routes = [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/api/v1")
        for method in operations
    ]
    assert len(routes) >= 16, routes
    return routes


def fill(path, world):
    ids = {"offer_id": world["offer_id"], "need_id": world["need_id"], "organization_id": world["kenya"].id}
    # Ids this module does not create (other domains' routes) get 1: the answer may be a 404,
    # and whatever it is must still not leak.
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


def assert_no_personal_data(response):
    for secret in SECRETS:
        assert secret.lower() not in response.text.lower(), (response.request.url, secret)


def offer_snapshot(session, offer_id):
    session.expire_all()
    offer = session.get(Offer, offer_id)
    return (offer.title, offer.expert_name, offer.expert_email, offer.status, offer.capacity)


# Every offers route, and what a rival provider does with it against the owner's expert.
RIVAL_ATTEMPTS = {
    ("GET", "/api/v1/offers"): (None, 200),
    ("GET", "/api/v1/offers/{offer_id}"): (None, 200),
    ("POST", "/api/v1/offers"): ("provider_org", 403),
    ("PATCH", "/api/v1/offers/{offer_id}"): ({"expert_name": "Stolen", "expert_email": "x@evil.example"}, 403),
    ("POST", "/api/v1/offers/{offer_id}/withdraw"): ({"reason": "sabotage"}, 403),
}


def test_every_offers_route_is_covered_by_the_rival_provider_check(app):
    routes = {(m, p) for m, p in api_routes(app) if p.startswith("/api/v1/offers")}
    assert routes == set(RIVAL_ATTEMPTS)


def test_no_provider_reads_or_changes_another_providers_expert_through_any_route(client, session, world):
    before = offer_snapshot(session, world["offer_id"])
    rival = world["h"]["rival"]
    for (method, path), (body, expected) in RIVAL_ATTEMPTS.items():
        if body == "provider_org":
            body = {"provider_org_id": world["kenya"].id, "kind": "training", "title": "Spoofed offer",
                    "areas": ["corrections"], "available_from": date.today().isoformat(), "cost_bearer": "provider"}
        response = client.request(method, fill(path, world), json=body, headers=rival)
        assert response.status_code == expected, (method, path, response.text)
        assert_no_personal_data(response)
    # Asking for it explicitly does not help either.
    for params in ({"provider": world["kenya"].id}, {"q": "Amina"}, {"status": ["available", "withdrawn"]}):
        response = client.get("/api/v1/offers", params=params, headers=rival)
        assert response.status_code == 200
        assert_no_personal_data(response)
    assert offer_snapshot(session, world["offer_id"]) == before


@pytest.mark.parametrize("who", [None, "requester", "rival", "officer", "admin", "owner"])
def test_public_and_other_readers_never_get_personal_data_from_any_read(app, client, world, who):
    headers = world["h"][who] if who else {}
    sees_all = who in ("officer", "admin", "owner")
    for method, path in api_routes(app):
        if method != "GET":
            continue
        response = client.get(fill(path, world), headers=headers)
        if path.startswith(CATALOGUE) and not NOT_CATALOGUE.match(path):
            assert response.status_code == 200, (path, response.text)
        if sees_all:
            if path.startswith("/api/v1/offers"):
                assert SECRETS[0] in response.text
            continue
        # Every read in the API, this module's or another's, keeps the expert anonymous.
        assert_no_personal_data(response)
        if path.startswith(CATALOGUE):
            assert '"expert_name"' not in response.text and '"expert_email"' not in response.text


def test_every_write_route_wants_a_token(app, client, world):
    writes = [(m, p) for m, p in api_routes(app) if m in ("POST", "PATCH", "PUT", "DELETE") and p.startswith(CATALOGUE)]
    assert len(writes) >= 8
    for method, path in writes:
        response = client.request(method, fill(path, world), json={})
        # A body-less write may fail validation first; it must never succeed without a token.
        assert response.status_code in (401, 422), (method, path, response.status_code)
        if response.status_code == 422:
            continue
        assert response.json()["error"]["code"] == "not_authenticated"
    for method, path in writes:
        if path.endswith(("/cancel", "/withdraw")):
            assert client.request(method, fill(path, world)).status_code == 401, path


def test_a_requester_sees_offers_anonymized_until_the_provider_confirms(client, world):
    response = client.get(f"/api/v1/offers/{world['offer_id']}", headers=world["h"]["requester"])
    assert response.json()["view"] == "anonymized"
    assert_no_personal_data(response)


def test_a_provider_cannot_touch_needs_and_a_requester_cannot_touch_offers(client, world):
    h = world["h"]
    assert client.patch(f"/api/v1/needs/{world['need_id']}", json={"title": "Provider edit"},
                        headers=h["rival"]).status_code == 403
    assert client.post(f"/api/v1/needs/{world['need_id']}/cancel", headers=h["owner"]).status_code == 403
    assert client.patch(f"/api/v1/offers/{world['offer_id']}", json={"title": "Requester edit"},
                        headers=h["requester"]).status_code == 403
    assert client.post(f"/api/v1/offers/{world['offer_id']}/withdraw", headers=h["requester"]).status_code == 403

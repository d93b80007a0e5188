"""Who may export what: the lists' own access rules, offers anonymized unless the reader may see more."""

from __future__ import annotations

import pytest

from tests.exports.conftest import OWN_EXPERT, QUIET_EXPERT, RIVAL_EXPERT, read_back

FORMATS = ("csv", "json", "xlsx", "hxl")

# Whose expert names each reader's offer export carries: the provider its own experts, a requester
# those released to its needs (the deployed one), the secretariat all, the public none.
NAMES_SEEN = {
    None: set(),
    "requester": {OWN_EXPERT},
    "provider": {OWN_EXPERT, QUIET_EXPERT},
    "other_provider": {RIVAL_EXPERT},
    "officer": {OWN_EXPERT, QUIET_EXPERT, RIVAL_EXPERT},
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", list(NAMES_SEEN))
def test_an_offer_export_carries_only_the_names_its_reader_may_see(export, market, role, fmt):
    user = market.users[role] if role else None
    response = export(f"offers.{fmt}", user, status=["available", "deployed"])
    assert response.status_code == 200, response.text
    rows = read_back(fmt, response.content)
    assert len(rows) == 3  # the same offers, whoever asks
    assert {r["expert_name"] for r in rows if r["expert_name"]} == NAMES_SEEN[role]
    seen = {str(r["offer_id"]) for r in rows if r["expert_email"]}
    assert seen == {str(o.id) for key, o in market.offers.items() if o.expert_name in NAMES_SEEN[role]}
    hidden = {OWN_EXPERT, QUIET_EXPERT, RIVAL_EXPERT} - NAMES_SEEN[role]
    body = response.content.decode("utf-8", "replace") if fmt != "xlsx" else str(rows)
    assert not [name for name in hidden if name in body]


def test_withdrawn_offers_are_exported_only_to_their_provider_and_the_secretariat(export, market):
    withdrawn = market.offers["withdrawn"].id
    for role, sees in ((None, False), ("requester", False), ("other_provider", False), ("provider", True),
                       ("officer", True)):
        user = market.users[role] if role else None
        rows = read_back("json", export("offers.json", user, status=["withdrawn", "available"]).content)
        assert (withdrawn in [r["offer_id"] for r in rows]) is sees, role


def test_the_public_exports_open_needs_and_a_requester_its_own_drafts_too(export, market):
    public = {r["need_id"] for r in read_back("json", export("needs.json").content)}
    assert public == {market.needs[k].id for k in ("prisons", "elections", "mali")}
    own = {r["need_id"] for r in read_back("json", export("needs.json", market.users["requester"]).content)}
    assert own == public | {market.needs["draft"].id}
    rival = {r["need_id"] for r in read_back("json", export("needs.json", market.users["other_provider"]).content)}
    assert rival == public


@pytest.mark.parametrize("dataset", ["proposals", "deployments"])
def test_proposals_and_deployments_go_to_their_parties_only(export, market, dataset):
    assert export(f"{dataset}.csv").status_code == 401
    deployed, proposed = market.proposals["deployed"].id, market.proposals["proposed"].id
    expected = {
        "requester": {deployed, proposed},  # both answer its needs
        "provider": {deployed},  # its expert
        "other_provider": {proposed},
        "officer": {deployed, proposed},
    }
    for role, ids in expected.items():
        response = export(f"{dataset}.json", market.users[role])
        assert response.status_code == 200, response.text
        got = {r["proposal_id"] for r in read_back("json", response.content)}
        assert got == (ids if dataset == "proposals" else ids & {deployed}), role


def test_gaps_are_the_secretariats(export, market):
    assert export("gaps.csv").status_code == 401
    for role in ("requester", "provider"):
        response = export("gaps.csv", market.users[role])
        assert response.status_code == 403, response.text
        assert "gaps" not in response.headers.get("content-disposition", "")
    assert export("gaps.csv", market.users["officer"]).status_code == 200

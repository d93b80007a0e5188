"""A need naming several groupings takes nationals of a member country of any of them, in a run and by hand."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.matching import runs
from capmatch.matching.pair_check import check_pair
from capmatch.organizations.models import Membership
from tests.factories import make_need, make_offer, make_organization
from tests.matching.test_runs import start_run


def grouping(session, *members):
    org = make_organization(session, kind="regional_organization", country_iso3=None, may_request=True)
    session.add_all(Membership(organization_id=org.id, country_iso3=iso3) for iso3 in members)
    session.flush()
    return org


def test_a_run_proposes_nationals_of_either_grouping_and_no_one_else(committed):
    east, west = grouping(committed, "KEN", "UGA"), grouping(committed, "NGA", "GHA")
    need = make_need(committed, positions=3, eligible_members_of=(east.id, west.id))
    offers = {iso3: make_offer(committed, nationality_iso3=iso3) for iso3 in ("KEN", "GHA", "FRA")}
    committed.commit()
    runs.execute(start_run(committed))
    proposed = set(committed.scalars(sa.text(
        "SELECT f.nationality_iso3 FROM proposals p JOIN offers f ON f.id = p.offer_id WHERE p.need_id = :n"),
        {"n": need.id}))
    assert proposed == {"KEN", "GHA"}
    assert offers["FRA"].id not in set(committed.scalars(sa.text("SELECT offer_id FROM proposals")))


def test_the_pair_check_admits_either_groupings_nationals_and_names_both_when_refusing(session):
    east, west = grouping(session, "KEN"), grouping(session, "NGA")
    need = make_need(session, eligible_members_of=(east.id, west.id))
    for iso3 in ("KEN", "NGA"):
        check = check_pair(session, need_id=need.id, offer_id=make_offer(session, nationality_iso3=iso3).id)
        assert "eligibility" not in check.broken
    check = check_pair(session, need_id=need.id, offer_id=make_offer(session, nationality_iso3="FRA").id)
    assert "eligibility" in check.broken
    assert check.facts["eligibility"] == " or ".join(sorted([east.name, west.name]))


def test_groupings_none_of_which_has_members_exclude_everyone(session):
    need = make_need(session, eligible_members_of=(grouping(session).id, grouping(session).id))
    check = check_pair(session, need_id=need.id, offer_id=make_offer(session, nationality_iso3="KEN").id)
    assert "eligibility" in check.broken

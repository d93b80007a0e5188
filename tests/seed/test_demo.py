"""The demo marketplace loads with enough of everything, and loading it again duplicates nothing."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.passwords import verify_password
from capmatch.enums import ORGANIZATION_KINDS
from capmatch.models import Area, Need, NeedEligibleGrouping, NeedLanguage, Offer, OfferArea, OfferLanguage, Organization, Policy, User
from capmatch.seed.demo import DEMO_PASSWORD, DEMO_USERS, demo_counts, load_demo

FIVE_CLUSTERS = {
    "safety_security", "justice", "inclusive_political_processes", "core_government_functionality",
    "economic_revitalization",
}


@pytest.fixture(scope="module")
def demo_connection(engine, taxonomy):
    """The demo marketplace, loaded once for the module (a second or so) in a transaction rolled back at its end."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(conn, join_transaction_mode="create_savepoint") as session:
            counts = load_demo(session)
            session.commit()  # into the module's transaction only
        yield conn, counts
        outer.rollback()


@pytest.fixture
def connection(demo_connection):
    """Each test works in a savepoint of the module's transaction, rolled back after it."""
    conn, _ = demo_connection
    savepoint = conn.begin_nested()
    yield conn
    savepoint.rollback()


@pytest.fixture
def demo(demo_connection, session):
    return demo_connection[1]


def test_the_demo_has_enough_requesters_providers_needs_and_offers(session, demo):
    requesters = session.scalar(sa.select(sa.func.count()).where(Organization.may_request))
    provider_kinds = set(session.scalars(sa.select(Organization.kind).where(Organization.may_provide)))
    providers = session.scalar(sa.select(sa.func.count()).where(Organization.may_provide))
    clusters = set(session.scalars(sa.select(Area.cluster_code).join(Need, Need.area_code == Area.code)))
    assert requesters >= 12
    assert providers >= 25
    assert provider_kinds == set(ORGANIZATION_KINDS)
    assert demo.needs >= 40 and FIVE_CLUSTERS | {"cross_cutting"} <= clusters
    assert demo.offers >= 150
    assert session.scalar(sa.select(sa.func.count()).where(Organization.may_request, Organization.may_provide)) >= 1


def test_loading_the_demo_twice_changes_no_counts(session, demo):
    assert load_demo(session) == demo == demo_counts(session)


def test_the_au_missions_needs_carry_the_au_eligibility(session, demo):
    au = session.scalar(sa.select(Organization).where(Organization.acronym == "AU"))
    amisom = session.scalar(sa.select(Organization).where(Organization.acronym == "AMISOM"))
    needs = session.scalars(sa.select(Need).where(Need.requester_org_id == amisom.id)).all()
    groupings = {need_id: org_id for need_id, org_id in session.execute(
        sa.select(NeedEligibleGrouping.need_id, NeedEligibleGrouping.organization_id))}
    assert needs and all(groupings.get(need.id) == au.id for need in needs)
    members = set(session.scalars(sa.text("SELECT country_iso3 FROM memberships WHERE organization_id = :id"),
                                  {"id": au.id}))
    assert {"SOM", "KEN", "NGA", "ZAF", "MAR", "ESH"} <= members and "NOR" not in members


def test_every_organization_has_the_agreement_form_of_its_kind(session, demo):
    forms = set(session.execute(sa.select(Organization.kind, Organization.agreement_form)).all())
    assert ("ngo", "institutional_cooperation_contract") in forms
    assert ("member_state_agency", "letter_of_assist") in forms
    assert ("regional_organization", "memorandum_of_understanding") in forms


def test_demo_users_sign_in_with_the_demo_password(session, demo):
    roles = {user.role for user in DEMO_USERS}
    assert roles == {"admin", "officer", "requester", "provider"}
    user = session.scalar(sa.select(User).where(User.email == "unmiss@capmatch.example"))
    assert verify_password(user.password_hash, DEMO_PASSWORD)
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) >= len(DEMO_USERS)


def test_the_default_and_south_south_first_policies_are_loaded(session, demo):
    policies = {p.name: p for p in session.scalars(sa.select(Policy))}
    assert policies["default"].is_default and policies["default"].weights["south_south"] == 3
    assert policies["south-south-first"].constraints == {"min_south_south_share": 0.6}


def test_about_two_in_five_demo_experts_are_women(session, demo):
    genders = session.scalars(sa.select(Offer.gender).where(Offer.kind == "individual_expert")).all()
    assert 0.35 <= genders.count("female") / len(genders) <= 0.55


def test_no_demo_offer_speaks_lingala_so_the_kinshasa_juvenile_justice_need_has_a_language_gap(session, demo):
    need = session.scalar(sa.select(Need).where(Need.title.like("Juvenile justice adviser%")))
    required = session.scalar(sa.select(NeedLanguage.language_code).where(
        NeedLanguage.need_id == need.id, NeedLanguage.language_code == "lin"))
    assert required == "lin"
    assert session.scalar(sa.select(sa.func.count()).where(OfferLanguage.language_code == "lin")) == 0


def test_no_au_national_offers_border_management_so_amisom_has_an_eligibility_gap(session, demo):
    au_nationals = session.scalar(
        sa.select(sa.func.count()).select_from(Offer).join(OfferArea, OfferArea.offer_id == Offer.id)
        .where(OfferArea.area_code == "border_management",
               Offer.nationality_iso3.in_(sa.text("SELECT m.country_iso3 FROM memberships m JOIN organizations o "
                                                  "ON o.id = m.organization_id WHERE o.acronym = 'AU'")))
    )
    others = session.scalar(sa.select(sa.func.count()).where(OfferArea.area_code == "border_management"))
    assert au_nationals == 0 and others > 0


def test_the_factories_make_a_need_an_offer_and_users_with_sensible_defaults(session):
    from tests.factories import make_need, make_offer, make_organization, make_user

    need = make_need(session, languages={"fra": 5}, duty_country_iso3="COD")
    offer = make_offer(session, languages={"fra": 6, "eng": 4})
    provider = make_user(session, role="provider")
    igo = make_organization(session, kind="intergovernmental_organization")
    assert need.id and need.requester_org_id and need.status == "open"
    assert offer.provider_org_id and offer.kind == "individual_expert"
    assert provider.organization_id and igo.country_iso3 is None
    assert session.scalar(sa.select(NeedLanguage.min_level).where(NeedLanguage.need_id == need.id)) == 5

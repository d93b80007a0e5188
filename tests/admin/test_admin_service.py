"""The administrator's services: users, organization figures and area names; nobody else may use them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.auth import users
from capmatch.organizations import queries as org_queries
from capmatch.taxonomy import admin as taxonomy_admin
from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor
from capmatch.auth.models import ApiToken
from capmatch.auth.service import actor_for_token, issue_token
from capmatch.errors import Conflict, Forbidden, InvalidInput
from capmatch.pagination import PageRequest
from capmatch.seed.taxonomy import load_taxonomy
from capmatch.taxonomy.models import Area
from tests.factories import TEST_PASSWORD, make_offer, make_organization, make_user

PAGE = PageRequest(page=1, page_size=50)


def actor_of(user) -> Actor:
    return Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email)


@pytest.fixture
def admin(session):
    return actor_of(make_user(session, role="admin"))


@pytest.mark.parametrize("role", ["officer", "provider", "requester"])
def test_only_an_administrator_may_use_the_admin_services(session, role):
    someone = actor_of(make_user(session, role=role))
    calls = [
        lambda: users.list_users(session, actor=someone, page=PAGE),
        lambda: org_queries.organizations_overview(session, actor=someone, page=PAGE),
        lambda: taxonomy_admin.taxonomy_overview(session, actor=someone),
        lambda: taxonomy_admin.rename_area(session, actor=someone, code="police", name="Policing", name_fr="Police"),
        lambda: users.add_user(session, actor=someone, email="x@example.org", full_name="X", role="officer",
                                 password=TEST_PASSWORD, organization_id=None),
        lambda: users.set_user_active(session, actor=someone, user_id=someone.user_id, active=False),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()


def test_an_administrator_adds_a_provider_user_to_a_providing_organization(session, admin):
    org = make_organization(session, name="Ghana Police Service", country_iso3="GHA")
    user = users.add_user(session, actor=admin, email=" Kofi@Example.org ", full_name="Kofi Mensah",
                            role="provider", password=TEST_PASSWORD, organization_id=org.id)
    assert (user.email, user.organization_id, user.is_active) == ("kofi@example.org", org.id, True)
    rows, total = users.list_users(session, actor=admin, q="kofi", page=PAGE)
    assert total == 1 and rows[0].organization_name == "Ghana Police Service"
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "user")).one()
    assert event.data["role"] == "provider" and "password" not in str(event.data)


def test_a_user_must_fit_the_organization_and_the_secretariat_has_none(session, admin):
    requesting = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False)
    with pytest.raises(InvalidInput, match="does not provide"):
        users.add_user(session, actor=admin, email="p@example.org", full_name="P", role="provider",
                         password=TEST_PASSWORD, organization_id=requesting.id)
    with pytest.raises(InvalidInput) as caught:
        users.add_user(session, actor=admin, email="o@example.org", full_name="O", role="officer",
                         password=TEST_PASSWORD, organization_id=requesting.id)
    assert caught.value.field == "organization_id"
    with pytest.raises(InvalidInput) as caught:
        users.add_user(session, actor=admin, email="o@example.org", full_name="O", role="officer",
                         password="short", organization_id=None)
    assert caught.value.field == "password"


def test_deactivating_a_user_revokes_their_tokens_and_can_be_undone(session, admin):
    provider = make_user(session, role="provider")
    token = issue_token(session, user_id=provider.id)
    session.flush()
    users.set_user_active(session, actor=admin, user_id=provider.id, active=False)
    assert provider.is_active is False
    assert actor_for_token(session, token=token) is None
    assert session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.user_id == provider.id)) is not None
    users.set_user_active(session, actor=admin, user_id=provider.id, active=True)
    assert provider.is_active is True
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "user")
                              .order_by(AuditEvent.id)).all()
    assert actions == ["deactivate", "activate"]


def test_an_administrator_cannot_deactivate_themselves(session, admin):
    with pytest.raises(Conflict, match="your own account"):
        users.set_user_active(session, actor=admin, user_id=admin.user_id, active=False)


def test_the_organization_overview_counts_users_and_offers(session, admin):
    org = make_organization(session, name="Senegal Judicial Training Centre", country_iso3="SEN")
    make_user(session, role="provider", organization_id=org.id)
    make_offer(session, provider_org_id=org.id)
    make_offer(session, provider_org_id=org.id)
    rows, total = org_queries.organizations_overview(session, actor=admin, q="senegal", page=PAGE)
    assert total == 1
    assert (rows[0].users, rows[0].offers, rows[0].needs) == (1, 2, 0)


def test_renaming_an_area_keeps_its_code_and_refuses_a_name_already_used(session, admin):
    area = taxonomy_admin.rename_area(session, actor=admin, code="police", name="Policing", name_fr="Police")
    assert (area.code, area.name) == ("police", "Policing")
    with pytest.raises(Conflict) as caught:
        taxonomy_admin.rename_area(session, actor=admin, code="ddr", name="policing", name_fr="x y")
    assert caught.value.field == "name"
    with pytest.raises(InvalidInput):
        taxonomy_admin.rename_area(session, actor=admin, code="ddr", name=" ", name_fr="DDR")
    assert session.get(Area, "ddr").name.startswith("Disarmament")


def test_loading_the_seed_again_keeps_an_administrators_area_names(session, admin):
    taxonomy_admin.rename_area(session, actor=admin, code="police", name="Policing", name_fr="Police")
    session.flush()
    load_taxonomy(session)
    session.expire_all()
    area = session.get(Area, "police")
    assert (area.name, area.name_fr, area.cluster_code) == ("Policing", "Police", "safety_security")


def test_the_taxonomy_overview_counts_offers_per_area(session, admin):
    make_offer(session, areas=["mediation", "elections"])
    overview = taxonomy_admin.taxonomy_overview(session, actor=admin)
    areas = {a.code: a for c in overview.clusters for a in c.areas}
    assert areas["mediation"].offers == 1 and areas["police"].offers == 0
    assert len(overview.clusters) >= 5 and overview.countries > 200 and overview.languages > 100
    assert 0 < overview.global_south < overview.countries

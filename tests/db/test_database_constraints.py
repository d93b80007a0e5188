"""Rules the database holds by itself, whatever code writes to it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from capmatch.audit.models import AuditEvent
from capmatch.models import NeedLanguage, Proposal
from tests.factories import make_need, make_offer, make_organization


def violates(session, statement, params=None, error=IntegrityError) -> str:
    """Run `statement` in a savepoint that must fail; returns the constraint's name."""
    with pytest.raises(error) as caught:
        with session.begin_nested():
            session.execute(sa.text(statement), params or {})
    diag = getattr(caught.value.orig, "diag", None)
    return getattr(diag, "constraint_name", None) or str(caught.value.orig)


def test_an_offer_can_never_hold_more_than_its_capacity(session):
    offer = make_offer(session, capacity=2)
    session.execute(sa.text("UPDATE offers SET reserved = 2 WHERE id = :id"), {"id": offer.id})
    name = violates(session, "UPDATE offers SET reserved = reserved + 1 WHERE id = :id", {"id": offer.id})
    assert name == "ck_offers_reserved_within_capacity"


def test_an_individual_expert_needs_a_name_and_a_nationality(session):
    offer = make_offer(session)
    name = violates(session, "UPDATE offers SET nationality_iso3 = NULL WHERE id = :id", {"id": offer.id})
    assert name == "ck_offers_individual_has_profile"


def test_an_intergovernmental_body_has_no_home_country(session):
    org = make_organization(session, kind="intergovernmental_organization")
    name = violates(session, "UPDATE organizations SET country_iso3 = 'KEN' WHERE id = :id", {"id": org.id})
    assert name == "ck_organizations_intergovernmental_has_no_country"


@pytest.mark.parametrize(
    "column, value, constraint",
    [
        ("status", "'pending'", "ck_needs_status"),
        ("urgency", "'yesterday'", "ck_needs_urgency"),
        ("positions", "0", "ck_needs_positions_range"),
        ("duration_months", "61", "ck_needs_duration_range"),
        ("gender_target", "1.5", "ck_needs_gender_target_range"),
        ("allowed_provider_kinds", "ARRAY['pirates']::varchar[]", "ck_needs_allowed_provider_kinds"),
        ("area_code", "'astrology'", "fk_needs_area_code_areas"),
        ("duty_country_iso3", "'XXX'", "fk_needs_duty_country_iso3_countries"),
    ],
)
def test_a_need_refuses_values_outside_its_vocabulary(session, column, value, constraint):
    need = make_need(session)
    name = violates(session, f"UPDATE needs SET {column} = {value} WHERE id = :id", {"id": need.id})
    assert name == constraint


def test_language_levels_are_cefr_a1_to_c2(session):
    need = make_need(session, languages={})
    session.add(NeedLanguage(need_id=need.id, language_code="fra", min_level=7))
    with pytest.raises(IntegrityError, match="ck_need_languages_level_range"):
        session.flush()


def test_a_need_and_an_offer_have_at_most_one_live_proposal(session):
    need, offer = make_need(session), make_offer(session)
    session.add(Proposal(need_id=need.id, offer_id=offer.id, score=1.0, breakdown={}, status="proposed"))
    session.flush()
    name = violates(
        session,
        "INSERT INTO proposals (need_id, offer_id, score, breakdown, status) VALUES (:n, :o, 1, '{}', 'approved')",
        {"n": need.id, "o": offer.id},
    )
    assert name == "uq_proposals_live_pair"
    # A rejected proposal does not block a new one for the same pair.
    session.execute(sa.text("UPDATE proposals SET status = 'rejected' WHERE need_id = :n"), {"n": need.id})
    session.add(Proposal(need_id=need.id, offer_id=offer.id, score=1.0, breakdown={}, status="proposed"))
    session.flush()


def test_the_audit_trail_cannot_be_changed_or_deleted(session):
    event = AuditEvent(entity_type="need", entity_id=1, action="create", data={})
    session.add(event)
    session.flush()
    message = violates(session, "UPDATE audit_events SET reason = 'edited' WHERE id = :id", {"id": event.id},
                       error=DBAPIError)
    assert "append-only" in message
    message = violates(session, "DELETE FROM audit_events WHERE id = :id", {"id": event.id}, error=DBAPIError)
    assert "append-only" in message


def test_organization_names_are_unique(session):
    make_organization(session, name="Swiss Expert Pool")
    name = violates(
        session,
        "INSERT INTO organizations (name, kind, agreement_form, may_request, may_provide, description) "
        "VALUES ('Swiss Expert Pool', 'ngo', 'institutional_cooperation_contract', false, true, '')",
    )
    assert name == "uq_organizations_name"

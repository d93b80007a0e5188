"""Writing offers: who may list and change them, what a valid offer is, and withdrawing one."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.enums import PERSON_OFFER_KINDS, cefr_to_int
from capmatch.errors import Conflict, Forbidden, InvalidInput, NotFound, Problems
from capmatch.i18n import _, ngettext
from capmatch.offers.models import Offer, OfferArea, OfferLanguage, PastDeployment
from capmatch.offers.queries import can_see_offer
from capmatch.offers.schemas import OFFER_NULLABLE_FIELDS, OfferCreate, OfferUpdate
from capmatch.organizations.models import Organization
from capmatch.organizations.service import PROVIDING, acting_organization
from capmatch.proposals.ledger import refresh_offer_status
from capmatch.taxonomy.service import changes_of, require_areas, require_country, resolve_languages
from capmatch.taxonomy.skills import resolve_skills

# Columns copied as given (the schema has validated their shape and range).
PLAIN_FIELDS = (
    "kind", "title", "summary", "expert_name", "expert_email", "gender", "years_experience", "skills",
    "capacity", "available_from", "available_until", "lead_time_days", "max_duration_months",
    "monthly_cost_usd", "cost_bearer", "screening_valid_until", "credentials_valid_until",
)
CHILD_FIELDS = ("areas", "languages", "past_deployments")


def create_offer(session: Session, *, actor: Actor | None, data: OfferCreate) -> Offer:
    actor = require_actor(actor)
    org = acting_organization(session, actor=actor, org_id=data.provider_org_id, side=PROVIDING)
    values = data.model_dump(exclude={"provider_org_id"})
    offer = Offer(provider_org_id=org.id, status="available", created_by_id=actor.db_user_id)
    children = _apply(session, offer, values, creating=True)
    session.add(offer)
    session.flush()  # the offer's id keys its areas, languages, past deployments and audit event
    _replace_children(session, offer, children)
    record(session, actor=actor, entity_type="offer", entity_id=offer.id, action="create",
           to_state=offer.status, data={"title": offer.title})
    return offer


def update_offer(session: Session, *, actor: Actor | None, offer_id: int, data: OfferUpdate) -> Offer:
    """Change some fields; a new capacity moves the status (available while a place is left)."""
    offer = _offer_to_change(session, actor, offer_id)
    if offer.status == "withdrawn":
        raise Conflict("A withdrawn offer cannot be changed.", field="status")
    changes = changes_of(data, nullable=OFFER_NULLABLE_FIELDS)
    if not changes:
        return offer
    before = offer.status
    children = _apply(session, offer, changes, creating=False)
    _replace_children(session, offer, children)
    # The row is locked (_offer_to_change): no approval can move `reserved` between the check in
    # _apply and this, and none can change a holder's state (the workflow locks the offer too).
    refresh_offer_status(session, offer)
    # Only field names: the audit trail must not become a second copy of personal data.
    record(session, actor=require_actor(actor), entity_type="offer", entity_id=offer.id, action="update",
           from_state=before, to_state=offer.status, data={"changed": sorted(changes)})
    return offer


def withdraw_offer(session: Session, *, actor: Actor | None, offer_id: int, reason: str | None = None) -> Offer:
    offer = _offer_to_change(session, actor, offer_id)
    if offer.status == "withdrawn":
        raise Conflict(_("The offer is already withdrawn."), field="status")
    if offer.status == "deployed":
        raise Conflict(_("The expert is deployed: complete or end the deployment first."), field="status")
    if offer.reserved > 0:
        raise Conflict(
            ngettext("{count} of this offer's positions is held by an approved proposal: decline or withdraw that "
                     "proposal first.",
                     "{count} of this offer's positions are held by approved proposals: decline or withdraw those "
                     "proposals first.", offer.reserved),
            field="reserved",
        )
    before, offer.status = offer.status, "withdrawn"
    record(session, actor=require_actor(actor), entity_type="offer", entity_id=offer.id, action="withdraw",
           from_state=before, to_state="withdrawn", reason=reason or None)
    return offer


# --- access ----------------------------------------------------------------------------------


def _offer_to_change(session: Session, actor: Actor | None, offer_id: int) -> Offer:
    actor = require_actor(actor)
    # Locked: an approval raising `reserved` must not interleave with a withdrawal or a capacity cut.
    # populate_existing: a copy read earlier in the request must show `reserved` as it is once locked.
    offer = session.scalar(sa.select(Offer).where(Offer.id == offer_id).with_for_update()
                           .execution_options(populate_existing=True))
    if offer is None or not can_see_offer(actor, offer):
        raise NotFound(_("No offer has the id {id}.", id=offer_id))
    if actor.is_secretariat:
        return offer
    if actor.role != "provider" or not actor.acts_for(offer.provider_org_id):
        raise Forbidden(_("Only the providing organization and the secretariat may change this offer."))
    org = session.get(Organization, offer.provider_org_id)
    if org is None or not org.may_provide:
        raise Forbidden(_("Your organization is not registered to provide expertise."))
    return offer


# --- values ----------------------------------------------------------------------------------


def _apply(session: Session, offer: Offer, values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    # Not flushed while checking: a value set before a later check's query (a capacity below what is
    # held) would reach the database's constraints before the check could refuse it in words.
    with session.no_autoflush:
        return _check_and_set(session, offer, values, creating=creating)


def _check_and_set(session: Session, offer: Offer, values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Check and set the offer's columns; return the checked child rows to write once it has an id.

    Every check runs: one InvalidInput carries all that failed, so a form reports them at once.
    """
    problems = Problems()
    if "nationality" in values:
        nationality = values["nationality"]
        with problems.check():
            offer.nationality_iso3 = (
                require_country(session, nationality, field="nationality").iso3 if nationality else None
            )
    if "available_until" in values:
        until = values["available_until"]
        if until is not None and until < date.today() and (creating or until != offer.available_until):
            problems.found.append(InvalidInput(_("Available until must be today or later."),
                                               field="available_until"))
    held = [] if creating else list(offer.skills or [])  # a skill retired since may stay on the offer
    for name in PLAIN_FIELDS:
        if name in values:
            setattr(offer, name, values[name])

    if offer.kind in PERSON_OFFER_KINDS:
        if not offer.expert_name:
            problems.found.append(InvalidInput(_("Enter the expert's name: an individual expert needs it."),
                                               field="expert_name"))
        if not offer.nationality_iso3 and not any(p.field == "nationality" for p in problems.found):
            problems.found.append(InvalidInput(_("Choose the expert's nationality: an individual expert needs it."),
                                               field="nationality"))
    if offer.available_until is not None and offer.available_from is not None \
            and offer.available_until < offer.available_from \
            and not any(p.field == "available_until" for p in problems.found):
        problems.found.append(InvalidInput(_("Available until must not be before available from."),
                                           field="available_until"))
    if offer.capacity is not None and offer.capacity < (offer.reserved or 0):
        # Bad input, not a conflict: the number asked for is one this offer cannot take now.
        problems.found.append(InvalidInput(
            ngettext("{count} of this offer's positions is held by an approved proposal: the capacity cannot go "
                     "below {count}. Decline or withdraw a proposal first to free a place.",
                     "{count} of this offer's positions are held by approved proposals: the capacity cannot go "
                     "below {count}. Decline or withdraw a proposal first to free a place.", offer.reserved),
            field="capacity",
        ))

    children: dict[str, Any] = {}
    if "areas" in values:
        with problems.check():
            children["areas"] = require_areas(session, values["areas"], field="areas")
    if ("skills" in values or "areas" in values) and ("areas" not in values or "areas" in children):
        # Codes of the offer's areas: a name or a close spelling becomes its code; new areas check the skills kept.
        areas = children["areas"] if "areas" in values else _area_codes(session, offer)
        with problems.check():
            offer.skills = resolve_skills(session, values.get("skills", held), areas=areas, field="skills",
                                          keep=held)
    if "languages" in values:
        langs = values["languages"]
        with problems.check():
            resolved = resolve_languages(session, [x["code"] for x in langs], field="languages")
            children["languages"] = [(lang.code, cefr_to_int(x["level"]))
                                     for lang, x in zip(resolved, langs, strict=True)]
    if "past_deployments" in values:
        for i, past in enumerate(values["past_deployments"]):
            with problems.check():
                past["country"] = require_country(session, past["country"],
                                                  field=f"past_deployments[{i}].country").iso3
        children["past_deployments"] = values["past_deployments"]
    problems.raise_any()
    return children


def _area_codes(session: Session, offer: Offer) -> list[str]:
    if offer.id is None:
        return []
    return list(session.scalars(sa.select(OfferArea.area_code).where(OfferArea.offer_id == offer.id)))


def offer_problems(session: Session, values: dict[str, Any]) -> list[InvalidInput]:
    """What is wrong with a new offer's values beyond their shape (a form's fields that did validate),
    without writing anything: a form shows these with its other errors in one answer."""
    try:
        _apply(session, Offer(), dict(values), creating=True)
    except InvalidInput as exc:
        return exc.problems
    return []


def _replace_children(session: Session, offer: Offer, children: dict[str, Any]) -> None:
    if "areas" in children:
        session.execute(sa.delete(OfferArea).where(OfferArea.offer_id == offer.id))
        session.add_all(OfferArea(offer_id=offer.id, area_code=code) for code in children["areas"])
    if "languages" in children:
        session.execute(sa.delete(OfferLanguage).where(OfferLanguage.offer_id == offer.id))
        session.add_all(
            OfferLanguage(offer_id=offer.id, language_code=code, level=level) for code, level in children["languages"]
        )
    if "past_deployments" in children:
        # Only the provider's own entries: a completed deployment's record is the host's appraisal.
        session.execute(sa.delete(PastDeployment).where(PastDeployment.offer_id == offer.id,
                                                        PastDeployment.proposal_id.is_(None)))
        session.add_all(
            PastDeployment(
                offer_id=offer.id, country_iso3=p["country"], organization_name=p["organization_name"],
                role=p["role"], started_on=p["started_on"], ended_on=p["ended_on"], appraisal=p["appraisal"],
            )
            for p in children["past_deployments"]
        )

"""Writing needs: who may post and change them, what a valid need is, and its status changes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.enums import cefr_to_int
from capmatch.errors import Conflict, Forbidden, InvalidInput, NotFound, Problems
from capmatch.i18n import N_, _, ngettext
from capmatch.needs.models import Need, NeedEligibleGrouping, NeedLanguage
from capmatch.needs.queries import can_see_need
from capmatch.needs.schemas import NEED_NULLABLE_FIELDS, NeedCreate, NeedUpdate
from capmatch.organizations.models import Membership, Organization
from capmatch.organizations.service import REQUESTING, acting_organization
from capmatch.proposals import cascade
from capmatch.proposals.ledger import FILL_STATUSES, fill_status, held_positions
from capmatch.proposals.models import Proposal
from capmatch.taxonomy.service import changes_of, require_area, require_country, resolve_languages
from capmatch.taxonomy.skills import resolve_skills

# Status changes a requester makes by PATCH as a plain change. partially_filled and filled follow
# from the proposals workflow. Closing (also by PATCH) and cancelling (its own endpoint, it takes a
# reason) end the need's proposals, so they go through close_need's and cancel_need's rules.
PATCH_TRANSITIONS = {"draft": ("open",)}
# Filled too: approved and agreed proposals are withdrawn with the need, until an expert is sent.
CANCELLABLE = ("draft", "open", "partially_filled", "filled")
# Published needs. A draft nobody has seen is cancelled, not closed.
CLOSABLE = ("open", "partially_filled", "filled")
FINAL = ("cancelled", "closed")
# Each way a need ends: the audit action on the need, and the workflow event on its proposals.
ENDINGS = {"cancelled": ("cancel", "cancel_need"), "closed": ("close", "close_need")}
# Why an ended need refuses a change, a cancellation or a closing: one whole sentence per status.
ENDED_UNCHANGEABLE = {"cancelled": N_("A cancelled need cannot be changed."),
                      "closed": N_("A closed need cannot be changed.")}
ENDED_UNCANCELLABLE = {"cancelled": N_("A cancelled need cannot be cancelled again."),
                       "closed": N_("A closed need cannot be cancelled.")}
ENDED_UNCLOSABLE = {"cancelled": N_("The need is already cancelled."),
                    "closed": N_("The need is already closed.")}

# Columns copied as given (the schema has validated their shape and range).
PLAIN_FIELDS = (
    "title", "terms_of_reference", "skills", "min_years_experience", "positions", "duration_months",
    "modality", "funding", "urgency", "allowed_provider_kinds", "exclude_duty_nationals", "gender_target",
)


def create_need(session: Session, *, actor: Actor | None, data: NeedCreate) -> Need:
    actor = require_actor(actor)
    org = acting_organization(session, actor=actor, org_id=data.requester_org_id, side=REQUESTING)
    values = data.model_dump(exclude={"requester_org_id", "status"})
    need = Need(requester_org_id=org.id, status=data.status, created_by_id=actor.db_user_id)
    _apply(session, need, values, creating=True)
    session.add(need)
    session.flush()  # the need's id is the key of its language and grouping rows and of the audit event
    _replace_languages(session, need, values["languages"])
    _replace_groupings(session, need, values["eligible_members_of"])
    record(session, actor=actor, entity_type="need", entity_id=need.id, action="create",
           to_state=need.status, data={"title": need.title})
    return need


def update_need(session: Session, *, actor: Actor | None, need_id: int, data: NeedUpdate) -> Need:
    if data.status == "closed":
        # Closing ends the need's proposals: close_need's rule and locks, the other changes made under them.
        return _end_need(session, actor, need_id, "closed", reason=None, now=None, patch=data)
    need = _need_to_change(session, actor, need_id)
    if need.status in FINAL:
        raise Conflict(_(ENDED_UNCHANGEABLE[need.status]), field="status")
    _change(session, require_actor(actor), need, changes_of(data, nullable=NEED_NULLABLE_FIELDS))
    return need


def cancel_need(
    session: Session, *, actor: Actor | None, need_id: int, reason: str | None = None, now: datetime | None = None,
) -> Need:
    """Cancel a need and withdraw every proposal for it that is short of deployment, all or nothing.

    Each proposal ends through the workflow (event "cancel_need"): its offer's place is given back,
    the step is audited and the other side is told. A need that an expert is serving or has served
    (a proposal deployed or completed) cannot be cancelled, as that would undo what happened on the
    ground: it can be closed instead, which stops new proposals and leaves the deployment be.
    """
    return _end_need(session, actor, need_id, "cancelled", reason=reason, now=now)


def close_need(
    session: Session, *, actor: Actor | None, need_id: int, reason: str | None = None, now: datetime | None = None,
) -> Need:
    """Close a published need: it takes no new proposals and leaves the marketplace, all or nothing.

    Its proposals short of deployment end as a cancellation ends them (event "close_need"); experts
    deployed on it carry on until their deployment is completed or withdrawn. This is how a need an
    expert serves or has served ends; one that nobody answered may be closed or cancelled.
    """
    return _end_need(session, actor, need_id, "closed", reason=reason, now=now)


def _end_need(
    session: Session, actor: Actor | None, need_id: int, to_state: str, *, reason: str | None,
    now: datetime | None, patch: NeedUpdate | None = None,
) -> Need:
    actor = require_actor(actor)
    _need_to_change(session, actor, need_id, lock=False)  # who may: settled before any lock is taken
    reason = (reason or "").strip() or None
    action, event = ENDINGS[to_state]
    # A savepoint: a caller that goes on after a refusal keeps nothing of a half-done ending.
    with session.begin_nested():
        locked = cascade.lock_need_and_live_proposals(session, need_id=need_id)
        if locked is None:
            raise NotFound(_("No need has the id {id}.", id=need_id))
        need = locked.need
        if to_state == "cancelled":
            _check_cancellable(session, locked)
        else:
            _check_closable(need)
        if patch is not None:  # a PATCH closing the need changes its other fields first, under the same locks
            changes = changes_of(patch, nullable=NEED_NULLABLE_FIELDS)
            del changes["status"]  # the ending's own, below
            _change(session, actor, need, changes)
        before, need.status = need.status, to_state
        record(session, actor=actor, entity_type="need", entity_id=need.id, action=action,
               from_state=before, to_state=to_state, reason=reason,
               data={"withdrawn_proposals": [p.id for p in locked.short_of_deployment]})
        cascade.withdraw_with_need(session, actor=actor, locked=locked, event=event, reason=reason, now=now)
    return need


def _check_cancellable(session: Session, locked: cascade.LockedNeed) -> None:
    need = locked.need
    if need.status not in CANCELLABLE:
        raise Conflict(_(ENDED_UNCANCELLABLE[need.status]), field="status")
    if locked.deployed:
        raise Conflict(_("An expert is deployed for this need, so it cannot be cancelled. Close the need instead: "
                         "it then takes no new proposals, its proposals not yet deployed are withdrawn, and the "
                         "deployment goes on until it is completed or withdrawn."), field="status")
    completed = session.scalar(sa.select(sa.func.count()).select_from(Proposal).where(
        Proposal.need_id == need.id, Proposal.status == "completed"))
    if completed:
        raise Conflict(_("An expert has already served on this need, so it cannot be cancelled. Close the need "
                         "instead: it then takes no new proposals, and its proposals not yet deployed are withdrawn."),
                       field="status")


def _check_closable(need: Need) -> None:
    if need.status == "draft":
        raise Conflict(_("A draft has never been published, so there is nothing to close: cancel it instead."),
                       field="status")
    if need.status not in CLOSABLE:
        raise Conflict(_(ENDED_UNCLOSABLE[need.status]), field="status")


def _change(session: Session, actor: Actor, need: Need, changes: dict[str, Any]) -> None:
    """Apply a PATCH's changes to a need the caller has locked and may change, and audit them.

    A new number of positions moves a published need between open, partially filled and filled by
    the workflow's own rule, and cannot go below the positions its proposals hold.
    """
    if not changes:
        return
    before = need.status
    # Checked before anything is changed. The need's row is locked, and an approval locks it too
    # before counting, so no approval can take a place between this count and the commit.
    held = held_positions(session, need.id) if "positions" in changes else 0
    if changes.get("positions", held) < held:
        # Bad input, not a conflict: the number asked for is one this need cannot take now.
        raise InvalidInput(
            ngettext("{count} of this need's positions is already taken by an approved, agreed, deployed or "
                     "completed proposal: the number of positions cannot go below {count}. Decline or withdraw a "
                     "proposal first to free one.",
                     "{count} of this need's positions are already taken by approved, agreed, deployed or "
                     "completed proposals: the number of positions cannot go below {count}. Decline or withdraw a "
                     "proposal first to free one.", held),
            field="positions",
        )
    new_status = changes.pop("status", None)
    if new_status is not None and new_status != before:
        if new_status == "cancelled":
            raise InvalidInput(_("Cancel a need with POST /api/v1/needs/{id}/cancel.", id=need.id), field="status")
        if new_status not in PATCH_TRANSITIONS.get(before, ()):
            raise Conflict(_("A need whose status is “{before}” cannot take the status “{after}”.", before=before,
                             after=new_status), field="status")
        if new_status == "open" and "start_by" not in changes and need.start_by < date.today():
            raise InvalidInput(_("The start-by date has passed: set a new one to publish the need."),
                               field="start_by")
        if new_status == "open" and "answer_by" not in changes and need.answer_by and need.answer_by < date.today():
            raise InvalidInput(_("The answer-by date has passed: set a new one, or clear it, to publish the need."),
                               field="answer_by")
        need.status = new_status
    _apply(session, need, changes, creating=False)
    if "positions" in changes and need.status in FILL_STATUSES:
        need.status = fill_status(held=held, positions=need.positions)
    if "languages" in changes:
        _replace_languages(session, need, changes["languages"])
    if "eligible_members_of" in changes:
        _replace_groupings(session, need, changes["eligible_members_of"])
    record(session, actor=actor, entity_type="need", entity_id=need.id, action="update",
           from_state=before, to_state=need.status,
           data={"changed": sorted(changes) + (["status"] if new_status and new_status != before else [])})


# --- access ----------------------------------------------------------------------------------


def _need_to_change(session: Session, actor: Actor | None, need_id: int, *, lock: bool = True) -> Need:
    actor = require_actor(actor)
    # Locked: a cancel racing an update (or the workflow filling it) must see the other's result.
    # A cancellation locks later itself, in the workflow's order (proposals first).
    # populate_existing: a copy read earlier in the request (the edit page reads the need first)
    # must show the status and positions as they are once locked.
    stmt = sa.select(Need).where(Need.id == need_id)
    need = session.scalar(stmt.with_for_update().execution_options(populate_existing=True) if lock else stmt)
    if need is None or not can_see_need(actor, need):
        raise NotFound(_("No need has the id {id}.", id=need_id))
    if actor.is_secretariat:
        return need
    if actor.role != "requester" or not actor.acts_for(need.requester_org_id):
        raise Forbidden(_("Only the requesting organization and the secretariat may change this need."))
    org = session.get(Organization, need.requester_org_id)
    if org is None or not org.may_request:
        raise Forbidden(_("Your organization is not registered to request expertise."))
    return need


# --- values ----------------------------------------------------------------------------------


def _apply(session: Session, need: Need, values: dict[str, Any], *, creating: bool) -> None:
    """Check and set the values given; every check runs, and one InvalidInput carries all that failed."""
    problems = Problems()
    if "duty_country" in values:
        with problems.check():
            need.duty_country_iso3 = require_country(session, values["duty_country"], field="duty_country").iso3
    if "area" in values:
        with problems.check():
            need.area_code = require_area(session, values["area"], field="area").code
    if "start_by" in values:
        start_by = values["start_by"]
        if start_by < date.today() and (creating or start_by != need.start_by):
            problems.found.append(InvalidInput(_("Start by must be today or later."), field="start_by"))
        need.start_by = start_by
    _check_answer_by(need, values, creating, problems)
    if "eligible_members_of" in values:
        with problems.check():
            _groupings(session, values["eligible_members_of"])
    if "languages" in values:
        with problems.check():
            resolve_languages(session, [lang["code"] for lang in values["languages"]], field="languages")
    held = [] if creating else list(need.skills or [])  # a skill retired since may stay on the need
    for name in PLAIN_FIELDS:
        if name in values:
            setattr(need, name, values[name])
    if ("skills" in values or "area" in values) and need.area_code:
        # Codes of the need's area: a name or a close spelling becomes its code; a new area checks the skills kept.
        # Not flushed by the vocabulary's query: values set above are checked in words, not by constraints.
        with problems.check(), session.no_autoflush:
            need.skills = resolve_skills(session, values.get("skills", held), areas=[need.area_code],
                                         field="skills", keep=held)
    problems.raise_any()


def _check_answer_by(need: Need, values: dict[str, Any], creating: bool, problems: Problems) -> None:
    """Set the answer-by date given: from today to the start-by date, or none (offers until the start)."""
    if "answer_by" in values:
        answer_by = values["answer_by"]
        if answer_by is not None and answer_by < date.today() and (creating or answer_by != need.answer_by):
            problems.found.append(InvalidInput(_("Answer by must be today or later, or left empty."),
                                                field="answer_by"))
        need.answer_by = answer_by
    if need.answer_by is None or need.start_by is None or need.answer_by <= need.start_by:
        return
    if "answer_by" in values:
        problems.found.append(InvalidInput(
            _("Answer by must be on or before the start-by date: providers offer experts before they start."),
            field="answer_by"))
    elif "start_by" in values:
        problems.found.append(InvalidInput(
            _("Start by cannot be before the need's answer-by date: change or clear the answer-by date too."),
            field="start_by"))


def need_problems(session: Session, values: dict[str, Any]) -> list[InvalidInput]:
    """What is wrong with a new need's values beyond their shape (a form's fields that did validate),
    without writing anything: a form shows these with its other errors in one answer."""
    try:
        _apply(session, Need(), values, creating=True)
    except InvalidInput as exc:
        return exc.problems
    return []


def _groupings(session: Session, org_ids: list[int]) -> list[int]:
    """The groupings given, each an organization with member countries; one error names every one that is not."""
    if not org_ids:
        return []
    has_members = sa.select(Membership.organization_id).where(Membership.organization_id == Organization.id).exists()
    found = {org_id: (name, members) for org_id, name, members in session.execute(
        sa.select(Organization.id, Organization.name, has_members).where(Organization.id.in_(org_ids)))}
    # One message, so a form shows every grouping that cannot be chosen beside its one field.
    wrong = [_("No organization has the id {id}.", id=org_id) if org_id not in found else
             _("{name} has no member countries to restrict eligibility to.", name=found[org_id][0])
             for org_id in org_ids if not found.get(org_id, ("", False))[1]]
    if wrong:
        raise InvalidInput(" ".join(wrong), field="eligible_members_of")
    return list(org_ids)


def _replace_groupings(session: Session, need: Need, org_ids: list[int]) -> None:
    session.execute(sa.delete(NeedEligibleGrouping).where(NeedEligibleGrouping.need_id == need.id))
    session.add_all(NeedEligibleGrouping(need_id=need.id, organization_id=org_id) for org_id in org_ids)


def _replace_languages(session: Session, need: Need, languages: list[dict[str, str]]) -> None:
    resolved = resolve_languages(session, [lang["code"] for lang in languages], field="languages")
    session.execute(sa.delete(NeedLanguage).where(NeedLanguage.need_id == need.id))
    session.add_all(
        NeedLanguage(need_id=need.id, language_code=language.code, min_level=cefr_to_int(lang["min_level"]))
        for language, lang in zip(resolved, languages, strict=True)
    )

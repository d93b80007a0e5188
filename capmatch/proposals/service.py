"""Moving proposals through the workflow (proposals/workflow.py) in the caller's transaction.

Every transition locks its rows, moves the offer's reserved counter, recomputes the need's and
the offer's status, records an audit event and notifies the people concerned; none commits. The
counters and the lock order are proposals/ledger.py's, the notices proposals/notices.py's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import SYSTEM, Actor, require_actor, require_role
from capmatch.config import get_settings
from capmatch.enums import LIVE_PROPOSAL_STATUSES
from capmatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from capmatch.i18n import _, ngettext
from capmatch.i18n.formats import moment
from capmatch.matching.pair_check import PairCheck, check_pair
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.proposals import deployment
from capmatch.proposals import workflow as wf
from capmatch.proposals.ledger import (
    FILL_STATUSES, held_positions, lock_rows, move_reserved, refresh_need_status, refresh_offer_status,
)
from capmatch.proposals.models import Proposal
from capmatch.proposals.notices import notify_step
from capmatch.proposals.refusals import reason_needed, refusal, status_word

LIVE_PAIR_INDEX = "uq_proposals_live_pair"
MAX_BULK = 500


def parties_of(actor: Actor, *, need: Need, offer: Offer) -> frozenset[str]:
    """Who `actor` is in relation to one proposal (possibly several: an officer, or both sides)."""
    parties = set()
    if actor is SYSTEM:
        parties.add(wf.SYSTEM)
    if actor.is_secretariat:
        parties.add(wf.OFFICER)
    if actor.role == "requester" and actor.acts_for(need.requester_org_id):
        parties.add(wf.REQUESTER)
    if actor.role == "provider" and actor.acts_for(offer.provider_org_id):
        parties.add(wf.PROVIDER)
    return frozenset(parties)


def can_see_proposal(actor: Actor | None, *, need: Need, offer: Offer) -> bool:
    if actor is None:
        return False
    return actor.is_secretariat or actor.acts_for(need.requester_org_id) or actor.acts_for(offer.provider_org_id)


# --- transitions -----------------------------------------------------------------------------


def act(
    session: Session, *, actor: Actor | None, proposal_id: int, action: str, reason: str | None = None,
    appraisal: int | None = None, now: datetime | None = None, arrived_on: date | None = None,
    ended_on: date | None = None,
) -> Proposal:
    """Take one workflow action ("approve", "decline", ...; see workflow.ACTIONS) on a proposal.

    A deployment takes the expert's date of arrival, a completion its end date (each today by default).
    """
    return act_on_many(session, actor=actor, proposal_ids=[proposal_id], action=action, reason=reason,
                       appraisal=appraisal, now=now, arrived_on=arrived_on, ended_on=ended_on)[0]


def act_on_many(
    session: Session, *, actor: Actor | None, proposal_ids: Sequence[int], action: str,
    reason: str | None = None, appraisal: int | None = None, now: datetime | None = None,
    arrived_on: date | None = None, ended_on: date | None = None,
) -> list[Proposal]:
    """The same action on several proposals, all or nothing: one refusal and none changes.

    The proposals come back in the order asked. Errors name the proposal when there are several.
    """
    actor = require_actor(actor)
    reason = _check_arguments(action, reason=reason, appraisal=appraisal)
    deployment.check_dates(action, arrived_on=arrived_on, ended_on=ended_on)
    ids = list(dict.fromkeys(proposal_ids))
    if not ids:
        raise InvalidInput(_("Name at least one proposal."), field="ids")
    if len(ids) > MAX_BULK:
        raise InvalidInput(_("At most {count} proposals at once.", count=MAX_BULK), field="ids")
    now = now or datetime.now(UTC)
    many = len(ids) > 1
    # A savepoint makes the batch all-or-nothing even for a caller that goes on after the error.
    with session.begin_nested():
        proposals, offers, needs = _lock(session, ids)
        plan = []
        for pid in ids:
            p = proposals.get(pid)
            need, offer = (needs[p.need_id], offers[p.offer_id]) if p else (None, None)
            if p is None or not can_see_proposal(actor, need=need, offer=offer):
                raise NotFound(_("No proposal has the id {number}.", number=pid), field="ids" if many else None)
            try:
                outcome = wf.resolve_action(p.status, action, parties_of(actor, need=need, offer=offer))
            except wf.InvalidTransition as exc:
                raise Conflict(_about(pid, many, refusal(exc)), field="status") from None
            except wf.WrongParty as exc:
                raise Forbidden(_about(pid, many, refusal(exc))) from None
            plan.append((p, outcome))
        for p, outcome in plan:
            try:
                apply_outcome(session, actor=actor, proposal=p, outcome=outcome, need=needs[p.need_id],
                              offer=offers[p.offer_id], reason=reason, appraisal=appraisal, now=now,
                              arrived_on=arrived_on, ended_on=ended_on)
            except Conflict as exc:
                raise Conflict(_about(p.id, many, exc.message), field=exc.field) from None
    return [proposals[pid] for pid in ids]


def decide_many(
    session: Session, *, actor: Actor | None, proposal_ids: Sequence[int], action: str, reason: str | None = None,
) -> list[Proposal]:
    """An officer approves or rejects a batch of proposals, all or nothing."""
    require_role(actor, "officer", "admin")
    if action not in ("approve", "reject"):
        raise InvalidInput(_("A batch is approved or rejected."), field="action")
    return act_on_many(session, actor=actor, proposal_ids=proposal_ids, action=action, reason=reason)


def expire_overdue(session: Session, *, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Expire the steps nobody answered in time; returns the ids of the proposals expired.

    Proposals someone is answering right now (locked) are skipped: an answer that arrives as the
    deadline passes wins, and the next run looks again if it did not.
    """
    now = now or datetime.now(UTC)
    overdue = (
        sa.select(Proposal)
        .where(Proposal.status.in_(tuple(wf.AWAITING)), Proposal.deadline_at < now)
        .order_by(Proposal.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    proposals = list(session.scalars(overdue))
    if not proposals:
        return []
    offers = lock_rows(session, Offer, {p.offer_id for p in proposals})
    needs = lock_rows(session, Need, {p.need_id for p in proposals})
    for p in proposals:
        outcome = wf.transition(p.status, "expire", wf.SYSTEM)
        apply_outcome(session, actor=SYSTEM, proposal=p, outcome=outcome, need=needs[p.need_id],
                      offer=offers[p.offer_id], reason=_("No answer by {moment}.", moment=moment(p.deadline_at)),
                      appraisal=None, now=now)
    return [p.id for p in proposals]


def apply_outcome(
    session: Session, *, actor: Actor, proposal: Proposal, outcome: wf.Outcome, need: Need, offer: Offer,
    reason: str | None, appraisal: int | None, now: datetime, arrived_on: date | None = None,
    ended_on: date | None = None,
) -> None:
    """Carry out one transition the workflow allowed, on rows the caller has locked (ledger.lock_rows)."""
    if outcome.event == "approve":
        _check_approvable(session, need=need, offer=offer)
    if outcome.event == "deploy":
        deployment.record_arrival(proposal, arrived_on=arrived_on, today=now.date())
    if outcome.event == "complete":
        deployment.record_completion(session, proposal=proposal, need=need, offer=offer, appraisal=appraisal,
                                     comment=reason, ended_on=ended_on, today=now.date())
    if outcome.capacity_delta:
        move_reserved(session, offer, outcome.capacity_delta)
    proposal.status = outcome.to_state
    if reason:
        proposal.reason = reason
    if outcome.event == "complete":
        proposal.appraisal = appraisal
    days = get_settings().answer_deadline_days
    proposal.deadline_at = now + timedelta(days=days) if outcome.starts_deadline else None
    session.flush()  # the status counts below must see this proposal's new state
    refresh_offer_status(session, offer)
    refresh_need_status(session, actor=actor, need=need, proposal=proposal)
    record(session, actor=actor, entity_type="proposal", entity_id=proposal.id, action=outcome.event,
           from_state=outcome.from_state, to_state=outcome.to_state, reason=reason,
           data={"party": outcome.party, "need_id": need.id, "offer_id": offer.id,
                 **({"appraisal": appraisal} if outcome.event == "complete" else {}),
                 **({"arrived_on": proposal.deployed_on.isoformat()} if outcome.event == "deploy" else {}),
                 **({"ended_on": proposal.ended_on.isoformat()} if outcome.event == "complete" else {}),
                 **({"deadline_at": proposal.deadline_at.isoformat()} if proposal.deadline_at else {})})
    notify_step(session, actor=actor, proposal=proposal, outcome=outcome, need=need, offer=offer, reason=reason)


def _check_approvable(session: Session, *, need: Need, offer: Offer) -> None:
    # "filled" is checked by counting: the requester may have added positions since.
    if need.status not in FILL_STATUSES:
        raise Conflict(_not_open(need), field="need_id")
    held = held_positions(session, need.id)
    if held >= need.positions:
        raise Conflict(_all_taken(need), field="need_id")
    if offer.status == "withdrawn":
        raise Conflict(_("The offer has been withdrawn."), field="offer_id")


# --- matching by hand ------------------------------------------------------------------------


class RulesBroken(Conflict):
    """A manual match breaks hard rules and no override reason was written; `check` says which."""

    def __init__(self, check: PairCheck):
        super().__init__(ngettext("The pair breaks {count} hard rule of matching ({names}). Write why you propose "
                                  "it anyway to override.",
                                  "The pair breaks {count} hard rules of matching ({names}). Write why you propose "
                                  "it anyway to override.", len(check.broken), names=", ".join(check.broken)),
                         field="override_reason")
        self.check = check


def check_manual_pair(session: Session, *, actor: Actor | None, need_id: int, offer_id: int) -> PairCheck | None:
    """The hard rules the pair breaks and its score, as a run would judge them (None: not matchable)."""
    require_role(actor, "officer", "admin")
    return check_pair(session, need_id=need_id, offer_id=offer_id)


def create_manual_proposal(
    session: Session, *, actor: Actor | None, need_id: int, offer_id: int, reason: str | None,
    override_reason: str | None = None,
) -> Proposal:
    """An officer pairs a need with an offer themselves, under the hard rules a run applies.

    A pair that breaks any is refused (RulesBroken) unless the officer writes why it should be
    proposed anyway; the audit event keeps the rules overridden and that reason. The score is the
    solver's, with its breakdown.
    """
    actor = require_role(actor, "officer", "admin")
    reason = (reason or "").strip()
    override_reason = (override_reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why you match these by hand."), field="reason")
    # Same lock order as the transitions: offers before needs.
    offer = lock_rows(session, Offer, {offer_id}).get(offer_id)
    if offer is None:
        raise InvalidInput(_("No offer has the id {number}.", number=offer_id), field="offer_id")
    need = lock_rows(session, Need, {need_id}).get(need_id)
    if need is None:
        raise InvalidInput(_("No need has the id {number}.", number=need_id), field="need_id")
    # "filled" is checked by counting: the requester may have added positions since.
    if need.status not in FILL_STATUSES:
        raise Conflict(_not_open(need), field="need_id")
    if held_positions(session, need.id) >= need.positions:
        raise Conflict(_all_taken(need), field="need_id")
    if offer.status == "withdrawn":
        raise Conflict(_("The offer is withdrawn."), field="offer_id")
    live = session.scalar(
        sa.select(Proposal.id).where(Proposal.need_id == need.id, Proposal.offer_id == offer.id,
                                     Proposal.status.in_(LIVE_PROPOSAL_STATUSES))
    )
    if live is not None:
        raise Conflict(_("Proposal {number} already pairs this need and offer.", number=live), field="offer_id")
    check = check_pair(session, need_id=need.id, offer_id=offer.id)
    if check is None:  # the rows are locked and checked above: only a status outside the vocabulary
        raise Conflict(_("This need and offer cannot be matched."), field="offer_id")
    if check.broken and not override_reason:
        raise RulesBroken(check)
    proposal = Proposal(need_id=need.id, offer_id=offer.id, status="proposed", reason=reason,
                        breakdown=check.breakdown, score=check.score, created_by_id=actor.db_user_id)
    try:
        with session.begin_nested():  # two officers matching the same pair at once: the index decides
            session.add(proposal)
            session.flush()  # assigns the id the audit event refers to
    except IntegrityError as exc:
        if getattr(getattr(exc.orig, "diag", None), "constraint_name", None) == LIVE_PAIR_INDEX:
            raise Conflict(_("Another proposal already pairs this need and offer."), field="offer_id") from None
        raise
    overridden = {"overridden": list(check.broken), "override_reason": override_reason} if check.broken else {}
    record(session, actor=actor, entity_type="proposal", entity_id=proposal.id, action="propose",
           to_state="proposed", reason=reason,
           data={"need_id": need.id, "offer_id": offer.id, "manual": True, "score": check.score, **overridden})
    return proposal


# --- helpers ---------------------------------------------------------------------------------


def _lock(session: Session, ids: Iterable[int]) -> tuple[dict[int, Proposal], dict[int, Offer], dict[int, Need]]:
    proposals = lock_rows(session, Proposal, set(ids))
    offers = lock_rows(session, Offer, {p.offer_id for p in proposals.values()})
    needs = lock_rows(session, Need, {p.need_id for p in proposals.values()})
    return proposals, offers, needs


def _check_arguments(action: str, *, reason: str | None, appraisal: int | None) -> str | None:
    if action not in wf.ACTIONS:
        raise InvalidInput(_("The action must be one of {actions}.", actions=", ".join(wf.ACTIONS)), field="action")
    events = [wf.event(name) for name in wf.ACTIONS[action]]
    reason = (reason or "").strip() or None
    if reason is None and any(e.reason_required for e in events):
        raise InvalidInput(reason_needed(action), field="reason")
    if any(e.appraisal_required for e in events):
        if appraisal is None or not 1 <= appraisal <= 5:
            raise InvalidInput(_("Appraise the deployment from 1 (poor) to 5 (excellent)."), field="appraisal")
    elif appraisal is not None:
        raise InvalidInput(_("An appraisal is given only when completing a deployment."), field="appraisal")
    return reason


def _about(proposal_id: int, many: bool, message: str) -> str:
    """The message, naming the proposal when a batch holds several."""
    return _("Proposal {number}: {message}", number=proposal_id, message=message) if many else message


def _not_open(need: Need) -> str:
    return _("The need is {status}: only an open need takes proposals.", status=status_word(need.status))


def _all_taken(need: Need) -> str:
    return ngettext("The only position of the need is already taken.",
                    "All {count} positions of the need are already taken.", need.positions)

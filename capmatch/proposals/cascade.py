"""Proposals that end because their need does: a need cancelled or closed withdraws every one of its
proposals short of deployment, each through the workflow (workflow.py, events "cancel_need" and
"close_need") like any other step.

The need's service decides whether the need may end; this module takes the locks that decision
must be made under, and then ends the proposals. Locks follow the workflow's order (proposals,
offers, need; ledger.py), so a need's ending and an approval of one of its proposals queue behind
each other: whichever comes second sees what the first did (an approval after the ending is
refused because the need no longer takes proposals; an ending after the approval withdraws the
approved proposal and gives its offer's place back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.enums import LIVE_PROPOSAL_STATUSES
from capmatch.errors import Forbidden
from capmatch.i18n import N_, gettext
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.proposals import workflow as wf
from capmatch.proposals.ledger import lock_rows
from capmatch.proposals.models import Proposal
from capmatch.proposals.service import apply_outcome, parties_of

# Each way a need ends, by the workflow event it fires, and what the proposals it ends are told
# (the reason kept on each, written in the language of the person who ends the need).
ENDED_AS = {
    "cancel_need": (N_("Need cancelled."), N_("Need cancelled: {reason}")),
    "close_need": (N_("Need closed."), N_("Need closed: {reason}")),
}


@dataclass(frozen=True)
class LockedNeed:
    """A need and its live proposals (with their offers), all locked for the rest of the transaction."""

    need: Need
    proposals: list[Proposal]  # by ascending id
    offers: dict[int, Offer]

    @property
    def deployed(self) -> list[Proposal]:
        return [p for p in self.proposals if p.status == "deployed"]

    @property
    def short_of_deployment(self) -> list[Proposal]:
        """The proposals a need's ending withdraws."""
        return [p for p in self.proposals if p.status != "deployed"]


def lock_need_and_live_proposals(session: Session, *, need_id: int) -> LockedNeed | None:
    """Lock the need's live proposals, their offers, then the need itself; None when there is no such need."""
    live = sa.select(Proposal.id).where(Proposal.need_id == need_id, Proposal.status.in_(LIVE_PROPOSAL_STATUSES))
    proposals = lock_rows(session, Proposal, set(session.scalars(live)))
    offers = lock_rows(session, Offer, {p.offer_id for p in proposals.values()})
    need = lock_rows(session, Need, {need_id}).get(need_id)
    if need is None:
        return None
    # A match run may have committed a proposal for the need since the first read (the need's lock
    # above waited for the run's KEY SHARE on it). Such a proposal can only be new, hence
    # "proposed", holding nothing. Locked after the need, out of order, so skip_locked: one being
    # approved right now waits for the need's lock, then finds the need ended, and is refused.
    late = session.scalars(
        sa.select(Proposal).where(Proposal.need_id == need_id, Proposal.status.in_(LIVE_PROPOSAL_STATUSES),
                                  Proposal.id.not_in(list(proposals)))
        .order_by(Proposal.id).with_for_update(skip_locked=True).execution_options(populate_existing=True)
    ).all()
    if late:
        proposals.update((p.id, p) for p in late)
        offers.update(lock_rows(session, Offer, {p.offer_id for p in late} - offers.keys()))
    # Re-read under the lock: a proposal may have ended between the first read and its lock.
    still_live = [proposals[i] for i in sorted(proposals) if proposals[i].status in LIVE_PROPOSAL_STATUSES]
    return LockedNeed(need, still_live, offers)


def withdraw_with_need(
    session: Session, *, actor: Actor, locked: LockedNeed, event: str, reason: str | None,
    now: datetime | None = None,
) -> list[Proposal]:
    """End each proposal short of deployment of a need that ends by `event` (one of workflow.NEED_ENDINGS):
    withdrawn, its offer's place given back, an audit event and notices each. Deployed ones go on:
    it is for the caller to refuse an ending that must not leave them be (a cancellation)."""
    now = now or datetime.now(UTC)
    bare, with_reason = ENDED_AS[event]
    why = gettext(with_reason, reason=reason) if reason else gettext(bare)
    ending = locked.short_of_deployment
    for proposal in ending:
        offer = locked.offers[proposal.offer_id]
        parties = parties_of(actor, need=locked.need, offer=offer)
        party = next((p for p in (wf.REQUESTER, wf.OFFICER) if p in parties), None)
        if party is None:
            raise Forbidden(gettext("Only the requesting organization and the secretariat may end this need."))
        outcome = wf.transition(proposal.status, event, party)
        apply_outcome(session, actor=actor, proposal=proposal, outcome=outcome, need=locked.need, offer=offer,
                      reason=why, appraisal=None, now=now)
    return ending

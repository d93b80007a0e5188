"""What proposals hold: the offer's reserved counter and status, the need's fill status, and the row
locks taken before changing either.

Locks are always taken in one order, proposals, then offers, then needs, each by ascending id, so
two requests touching the same rows queue behind each other instead of deadlocking. A match run's
writer (matching/writer.py) keeps the same order: the proposals it supersedes, then FOR KEY SHARE
on the offers and needs it proposes, before it inserts. The counter
is moved by the database (`reserved = reserved + 1`) and its CHECK (reserved BETWEEN 0 AND
capacity) is what finally makes double-booking impossible, whatever runs concurrently.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor
from capmatch.enums import FIXED_PROPOSAL_STATUSES
from capmatch.errors import Conflict
from capmatch.i18n import _, ngettext
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.proposals import workflow as wf
from capmatch.proposals.models import Proposal

RESERVED_CHECK = "ck_offers_reserved_within_capacity"
# The need statuses the workflow maintains; draft, closed and cancelled belong to the requester.
FILL_STATUSES = ("open", "partially_filled", "filled")


def lock_rows(session: Session, model, ids: set[int]) -> dict:
    """Lock these rows of one table, by ascending id, and return them by id."""
    if not ids:
        return {}
    # populate_existing: a copy already in the session must show the row as it is once locked.
    rows = session.scalars(
        sa.select(model).where(model.id.in_(ids)).order_by(model.id).with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.id: row for row in rows}


def move_reserved(session: Session, offer: Offer, delta: int) -> None:
    """Take or give back one unit of the offer's capacity; the database refuses to overbook."""
    try:
        with session.begin_nested():
            session.execute(
                sa.update(Offer).where(Offer.id == offer.id).values(reserved=Offer.reserved + delta)
            )
    except IntegrityError as exc:
        if getattr(getattr(exc.orig, "diag", None), "constraint_name", None) != RESERVED_CHECK:
            raise
        if delta > 0:
            raise Conflict(ngettext("The only position of the offer is already reserved.",
                                    "All {count} positions of the offer are already reserved.", offer.capacity),
                           field="offer_id") from None
        raise Conflict(_("The offer holds no reservation to release."), field="offer_id") from None


def refresh_offer_status(session: Session, offer: Offer) -> None:
    """available while capacity is left; when full, deployed if every holder is deployed, else reserved.

    Called after anything that moves `reserved` or `capacity`, with the offer's row locked.
    """
    if offer.status == "withdrawn":
        return
    if offer.reserved < offer.capacity:
        status = "available"
    else:
        undeployed = session.scalar(
            sa.select(sa.func.count()).select_from(Proposal).where(
                Proposal.offer_id == offer.id, Proposal.status.in_(tuple(wf.RESERVING - {"deployed"}))
            )
        )
        status = "reserved" if undeployed else "deployed"
    offer.status = status


def held_positions(session: Session, need_id: int) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Proposal).where(
            Proposal.need_id == need_id, Proposal.status.in_(FIXED_PROPOSAL_STATUSES)
        )
    ) or 0


def fill_status(*, held: int, positions: int) -> str:
    """The status of a published need with `held` of its `positions` taken."""
    return "filled" if held >= positions else "partially_filled" if held else "open"


def refresh_need_status(session: Session, *, actor: Actor, need: Need, proposal: Proposal) -> None:
    if need.status not in FILL_STATUSES:
        return
    held = held_positions(session, need.id)
    status = fill_status(held=held, positions=need.positions)
    if status != need.status:
        before, need.status = need.status, status
        record(session, actor=actor, entity_type="need", entity_id=need.id, action="fill_changed",
               from_state=before, to_state=status,
               data={"held": held, "positions": need.positions, "proposal_id": proposal.id})

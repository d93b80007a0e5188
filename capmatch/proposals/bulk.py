"""An officer's batch of decisions taken one proposal at a time: what can be decided is, and each
refusal is reported with its reason, instead of one conflict refusing the whole batch.

service.decide_many is the all-or-nothing form, for an officer who asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_role
from capmatch.errors import Conflict, Forbidden, NotFound
from capmatch.proposals.models import Proposal
from capmatch.proposals.service import MAX_BULK, decide_many


def decide_each(
    session: Session, *, actor: Actor | None, proposal_ids: Sequence[int], action: str, reason: str | None = None,
) -> tuple[list[Proposal], list[tuple[int, str]]]:
    """The proposals decided, and for each one refused its id and why, both in the order asked.

    Each proposal is decided in its own savepoint (act_on_many's), so a refusal undoes only that
    one. A problem with the batch itself (not an officer, no reason to reject, no or too many ids)
    refuses all of it (decide_many raises it on the first proposal, before any is decided).
    """
    require_role(actor, "officer", "admin")
    ids = list(dict.fromkeys(proposal_ids))
    if len(ids) > MAX_BULK or len(ids) <= 1:
        return decide_many(session, actor=actor, proposal_ids=ids, action=action, reason=reason), []
    done: list[Proposal] = []
    refused: list[tuple[int, str]] = []
    for pid in ids:
        try:
            done.extend(decide_many(session, actor=actor, proposal_ids=[pid], action=action, reason=reason))
        except (Conflict, Forbidden, NotFound) as exc:
            refused.append((pid, exc.message))
    return done, refused

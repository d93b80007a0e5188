"""Reading the audit trail: who changed a record, when, from which state to which, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor, require_role
from capmatch.auth.models import User
from capmatch.errors import InvalidInput
from capmatch.i18n import _
from capmatch.matching.models import MatchRun, Policy
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.pagination import PageRequest
from capmatch.proposals.models import Proposal

AUDITED_ENTITIES = ("need", "offer", "proposal", "match_run", "policy")


@dataclass(frozen=True)
class AuditEntry:
    occurred_at: datetime
    actor_name: str | None  # None: the system (a job or the command line)
    actor_email: str | None
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class AuditTrail:
    entity_type: str
    entity_id: int
    label: str | None  # what the entity is called now; None when no such row exists
    entries: list[AuditEntry]
    total: int


def audit_trail(
    session: Session, *, actor: Actor | None, entity_type: str, entity_id: int, page: PageRequest
) -> AuditTrail:
    """Who changed the entity, when, from which state to which and why: oldest first, as it happened."""
    require_role(actor, "officer", "admin")
    if entity_type not in AUDITED_ENTITIES:
        raise InvalidInput(_("Choose one of: {kinds}.", kinds=", ".join(AUDITED_ENTITIES)), field="entity")
    where = (AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.execute(
        sa.select(AuditEvent, User.full_name, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(*where)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
        .offset(page.offset)
        .limit(page.page_size)
    ).all()
    entries = [
        AuditEntry(occurred_at=e.occurred_at, actor_name=name, actor_email=email, action=e.action,
                   from_state=e.from_state, to_state=e.to_state, reason=e.reason, data=dict(e.data or {}))
        for e, name, email in rows
    ]
    return AuditTrail(entity_type=entity_type, entity_id=entity_id,
                      label=_label(session, entity_type, entity_id), entries=entries, total=total)


def _label(session: Session, entity_type: str, entity_id: int) -> str | None:
    if entity_type == "need":
        return session.scalar(sa.select(Need.title).where(Need.id == entity_id))
    if entity_type == "offer":
        return session.scalar(sa.select(Offer.title).where(Offer.id == entity_id))
    if entity_type == "match_run":
        exists = session.scalar(sa.select(MatchRun.id).where(MatchRun.id == entity_id))
        return _("Match run {number}", number=entity_id) if exists else None
    if entity_type == "policy":
        return session.scalar(sa.select(Policy.name).where(Policy.id == entity_id))
    row = session.execute(
        sa.select(Need.title, Offer.title)
        .select_from(Proposal)
        .join(Need, Need.id == Proposal.need_id)
        .join(Offer, Offer.id == Proposal.offer_id)
        .where(Proposal.id == entity_id)
    ).first()
    return _("{offer} for {need}", offer=row[1], need=row[0]) if row else None

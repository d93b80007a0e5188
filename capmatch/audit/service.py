"""Writing the audit trail: one event per change of state, in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor


def record(
    session: Session,
    *,
    actor: Actor | None,
    entity_type: str,
    entity_id: int,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event. A failed request rolls it back together with the change it describes."""
    event = AuditEvent(
        actor_id=actor.db_user_id if actor is not None else None,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )
    session.add(event)
    return event

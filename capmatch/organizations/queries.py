"""The administrator's views of organizations: the list with each one's figures, the choices of the user form, the summary."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_admin
from capmatch.auth.models import User
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.organizations.models import Organization
from capmatch.organizations.service import OrganizationRecord, list_organizations
from capmatch.pagination import PageRequest


@dataclass(frozen=True)
class OrganizationRow:
    record: OrganizationRecord
    users: int
    needs: int
    offers: int


def organizations_overview(
    session: Session, *, actor: Actor | None, q: str | None = None, page: PageRequest
) -> tuple[list[OrganizationRow], int]:
    require_admin(actor)
    records, total = list_organizations(session, q=q, page=page)
    ids = [r.organization.id for r in records]

    def counts(column: sa.ColumnElement[int]) -> dict[int, int]:
        if not ids:
            return {}
        return dict(session.execute(sa.select(column, sa.func.count()).where(column.in_(ids)).group_by(column)).all())

    users, needs, offers = counts(User.organization_id), counts(Need.requester_org_id), counts(Offer.provider_org_id)
    rows = [
        OrganizationRow(r, users.get(r.organization.id, 0), needs.get(r.organization.id, 0),
                        offers.get(r.organization.id, 0))
        for r in records
    ]
    return rows, total


def organization_choices(session: Session, *, actor: Actor | None) -> list[tuple[int, str, bool, bool]]:
    """Every organization as (id, name, may_request, may_provide), for the user form."""
    require_admin(actor)
    rows = session.execute(
        sa.select(Organization.id, Organization.name, Organization.may_request, Organization.may_provide)
        .order_by(Organization.name)
    )
    return [tuple(row) for row in rows]



@dataclass(frozen=True)
class AdminSummary:
    organizations: int
    active_users: int
    inactive_users: int
    open_needs: int
    available_offers: int


def admin_summary(session: Session, *, actor: Actor | None) -> AdminSummary:
    require_admin(actor)

    def count(stmt: sa.Select) -> int:
        return session.scalar(stmt) or 0

    return AdminSummary(
        organizations=count(sa.select(sa.func.count()).select_from(Organization)),
        active_users=count(sa.select(sa.func.count()).select_from(User).where(User.is_active)),
        inactive_users=count(sa.select(sa.func.count()).select_from(User).where(~User.is_active)),
        open_needs=count(sa.select(sa.func.count()).select_from(Need).where(Need.status.in_(("open", "partially_filled")))),
        available_offers=count(sa.select(sa.func.count()).select_from(Offer).where(Offer.status == "available")),
    )

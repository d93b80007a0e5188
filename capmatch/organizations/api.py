"""Organizations: public reads; administrators write (an organization's users: its description)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capmatch.inputs import Id
from capmatch.organizations import service
from capmatch.organizations.schemas import OrganizationCreate, OrganizationKind, OrganizationOut, OrganizationUpdate
from capmatch.organizations.service import OrganizationRecord
from capmatch.pagination import Page
from capmatch.taxonomy.api import PageParams, page_of
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


def organization_out(rec: OrganizationRecord) -> OrganizationOut:
    o = rec.organization
    return OrganizationOut(
        id=o.id, name=o.name, acronym=o.acronym, kind=o.kind, country=o.country_iso3,
        agreement_form=o.agreement_form, may_request=o.may_request, may_provide=o.may_provide,
        description=o.description, members=rec.members, created_at=o.created_at, updated_at=o.updated_at,
    )


@router.get("", response_model=Page[OrganizationOut], summary="List organizations")
def list_organizations(
    session: DbSession,
    page: PageParams,
    kind: Annotated[list[OrganizationKind] | None, Query(description="repeatable")] = None,
    country: Annotated[str | None, Query(description="home country, ISO 3166 alpha-3")] = None,
    may_request: bool | None = None,
    may_provide: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or acronym")] = None,
):
    records, total = service.list_organizations(
        session, kind=tuple(kind or ()), country=country, may_request=may_request, may_provide=may_provide,
        q=q, page=page,
    )
    return page_of([organization_out(r) for r in records], total, page)


@router.get("/{organization_id}", response_model=OrganizationOut, summary="One organization")
def get_organization(organization_id: Id, session: DbSession):
    return organization_out(service.get_organization(session, organization_id=organization_id))


@router.post("", response_model=OrganizationOut, status_code=201, summary="Register an organization (admin)")
def create_organization(body: OrganizationCreate, session: DbSession, actor: MaybeActor):
    organization = service.create_organization(session, actor=actor, data=body)
    return organization_out(service.describe_organizations(session, [organization])[0])


@router.patch("/{organization_id}", response_model=OrganizationOut, summary="Change an organization")
def update_organization(organization_id: Id, body: OrganizationUpdate, session: DbSession, actor: MaybeActor):
    organization = service.update_organization(session, actor=actor, organization_id=organization_id, data=body)
    return organization_out(service.describe_organizations(session, [organization])[0])

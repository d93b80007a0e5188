"""Needs: public reads of open needs; requesters and the secretariat write."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from capmatch.inputs import Id
from capmatch.needs import queries, service
from capmatch.needs.queries import NeedFilters, NeedRecord
from capmatch.needs.schemas import (
    CancelRequest, CloseRequest, NeedCreate, NeedLanguageOut, NeedOut, NeedStatus, NeedUpdate, OrganizationRef, Urgency,
)
from capmatch.pagination import Page
from capmatch.sorting import parse_sort, sort_values
from capmatch.taxonomy.api import PageParams, page_of
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


def need_out(rec: NeedRecord) -> NeedOut:
    n = rec.need
    return NeedOut(
        id=n.id,
        requester=OrganizationRef(id=n.requester_org_id, name=rec.requester_name, acronym=rec.requester_acronym),
        duty_country=n.duty_country_iso3,
        title=n.title,
        terms_of_reference=n.terms_of_reference,
        area=n.area_code,
        cluster=rec.cluster_code,
        skills=list(n.skills),
        languages=[NeedLanguageOut(code=x.code, name=x.name, min_level=x.min_level) for x in rec.languages],
        min_years_experience=n.min_years_experience,
        positions=n.positions,
        start_by=n.start_by,
        answer_by=n.answer_by,
        duration_months=n.duration_months,
        modality=n.modality,
        funding=n.funding,
        urgency=n.urgency,
        eligible_members_of=rec.eligible_members_of,
        allowed_provider_kinds=n.allowed_provider_kinds,
        exclude_duty_nationals=n.exclude_duty_nationals,
        gender_target=float(n.gender_target) if n.gender_target is not None else None,
        status=n.status,
        created_at=n.created_at,
        updated_at=n.updated_at,
    )


@router.get("", response_model=Page[NeedOut], summary="List and search needs")
def list_needs(
    session: DbSession,
    actor: MaybeActor,
    page: PageParams,
    cluster: str | None = None,
    area: str | None = None,
    country: Annotated[str | None, Query(description="duty-station country, ISO 3166 alpha-3")] = None,
    language: Annotated[str | None, Query(description="a required language, ISO 639 code")] = None,
    status: Annotated[
        list[NeedStatus] | None,
        Query(description="repeatable; default: every need you may see (the public sees open ones)"),
    ] = None,
    urgency: Annotated[list[Urgency] | None, Query(description="repeatable")] = None,
    requester: Annotated[Id | None, Query(description="requesting organization id")] = None,
    global_south: Annotated[bool | None, Query(description="duty-station country in the Global South")] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search in title and terms")] = None,
    sort: Annotated[Literal[sort_values(queries.NEED_SORTS)] | None, Query(
        description="the order: start_by, answer_by (the start-by date where none is set), urgency, positions or "
                    "posted; a leading '-' for descending. "
                    "Default: start_by, or the best match first for a search")] = None,
):
    filters = NeedFilters(
        cluster=cluster, area=area, country=country, language=language, status=tuple(status or ()),
        urgency=tuple(urgency or ()), requester=requester, global_south=global_south, q=q,
    )
    records, total = queries.list_needs(session, actor=actor, filters=filters, page=page,
                                        sort=parse_sort(sort, queries.NEED_SORTS))
    return page_of([need_out(r) for r in records], total, page)


@router.get("/{need_id}", response_model=NeedOut, summary="One need")
def get_need(need_id: Id, session: DbSession, actor: MaybeActor):
    return need_out(queries.get_need(session, actor=actor, need_id=need_id))


@router.post("", response_model=NeedOut, status_code=201, summary="Post a need")
def create_need(body: NeedCreate, session: DbSession, actor: MaybeActor):
    need = service.create_need(session, actor=actor, data=body)
    return need_out(queries.describe_needs(session, [need])[0])


@router.patch("/{need_id}", response_model=NeedOut, summary="Change some fields of a need")
def update_need(need_id: Id, body: NeedUpdate, session: DbSession, actor: MaybeActor):
    need = service.update_need(session, actor=actor, need_id=need_id, data=body)
    return need_out(queries.describe_needs(session, [need])[0])


@router.post("/{need_id}/cancel", response_model=NeedOut, summary="Cancel a need")
def cancel_need(need_id: Id, session: DbSession, actor: MaybeActor, body: CancelRequest | None = None):
    """Withdraws the need's proposals with it. 409 when an expert is deployed or has served on it: close it."""
    need = service.cancel_need(session, actor=actor, need_id=need_id, reason=body.reason if body else None)
    return need_out(queries.describe_needs(session, [need])[0])


@router.post("/{need_id}/close", response_model=NeedOut, summary="Close a need")
def close_need(need_id: Id, session: DbSession, actor: MaybeActor, body: CloseRequest | None = None):
    """No new proposals; those not yet deployed are withdrawn, deployed experts carry on."""
    need = service.close_need(session, actor=actor, need_id=need_id, reason=body.reason if body else None)
    return need_out(queries.describe_needs(session, [need])[0])

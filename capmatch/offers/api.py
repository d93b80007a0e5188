"""Offers: public reads of anonymized profiles; providers and the secretariat write."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from capmatch.inputs import Id
from capmatch.offers import queries, service
from capmatch.offers.queries import OfferFilters, OfferRecord
from capmatch.offers.schemas import (
    OfferAnonymous, OfferCreate, OfferFull, OfferKind, OfferLanguageOut, OfferOut, OfferStatus, OfferUpdate,
    PastDeploymentAnonymous, PastDeploymentFull, ProviderRef, WithdrawRequest,
)
from capmatch.organizations.schemas import OrganizationKind
from capmatch.pagination import Page
from capmatch.sorting import parse_sort, sort_values
from capmatch.taxonomy.api import PageParams, page_of
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


def offer_out(rec: OfferRecord) -> OfferFull | OfferAnonymous:
    common = dict(
        id=rec.id,
        provider=ProviderRef(id=rec.provider.id, name=rec.provider.name, acronym=rec.provider.acronym,
                             kind=rec.provider.kind, country=rec.provider.country),
        kind=rec.kind, title=rec.title, summary=rec.summary, nationality=rec.nationality, gender=rec.gender,
        years_experience=rec.years_experience, areas=rec.areas, skills=rec.skills,
        languages=[OfferLanguageOut(code=x.code, name=x.name, level=x.level) for x in rec.languages],
        capacity=rec.capacity, reserved=rec.reserved, available_from=rec.available_from,
        available_until=rec.available_until, lead_time_days=rec.lead_time_days,
        max_duration_months=rec.max_duration_months,
        monthly_cost_usd=float(rec.monthly_cost_usd) if rec.monthly_cost_usd is not None else None,
        cost_bearer=rec.cost_bearer, screening_valid_until=rec.screening_valid_until,
        credentials_valid_until=rec.credentials_valid_until, status=rec.status,
        created_at=rec.created_at, updated_at=rec.updated_at,
    )
    if rec.personal is None:
        return OfferAnonymous(
            **common,
            past_deployments=[
                PastDeploymentAnonymous(country=p.country, role=p.role, started_on=p.started_on,
                                        ended_on=p.ended_on, appraisal=p.appraisal,
                                        completed_here=p.proposal_id is not None)
                for p in rec.past_deployments
            ],
        )
    return OfferFull(
        **common,
        expert_name=rec.personal.expert_name,
        expert_email=rec.personal.expert_email,
        past_deployments=[
            PastDeploymentFull(country=p.country, role=p.role, started_on=p.started_on, ended_on=p.ended_on,
                               appraisal=p.appraisal, organization_name=p.organization_name or "",
                               completed_here=p.proposal_id is not None, comment=p.comment)
            for p in rec.past_deployments
        ],
    )


@router.get("", response_model=Page[OfferOut], summary="List and search offers")
def list_offers(
    session: DbSession,
    actor: MaybeActor,
    page: PageParams,
    cluster: str | None = None,
    area: str | None = None,
    country: Annotated[str | None, Query(description="the expert's nationality or the provider's country")] = None,
    language: Annotated[str | None, Query(description="a language spoken, ISO 639 code")] = None,
    status: Annotated[list[OfferStatus] | None, Query(description="repeatable; default: available")] = None,
    provider_kind: Annotated[list[OrganizationKind] | None, Query(description="repeatable")] = None,
    global_south: Annotated[
        bool | None, Query(description="the expert's nationality (else the provider's country) in the Global South")
    ] = None,
    kind: Annotated[list[OfferKind] | None, Query(description="repeatable")] = None,
    provider: Annotated[Id | None, Query(description="providing organization id")] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search in title and summary")] = None,
    sort: Annotated[Literal[sort_values(queries.OFFER_SORTS)] | None, Query(
        description="the order: available_from, experience or posted; a leading '-' for descending. "
                    "Default: available_from, or the best match first for a search")] = None,
):
    filters = OfferFilters(
        cluster=cluster, area=area, country=country, language=language,
        status=tuple(status) if status else ("available",), provider_kind=tuple(provider_kind or ()),
        global_south=global_south, kind=tuple(kind or ()), provider=provider, q=q,
    )
    records, total = queries.list_offers(session, actor=actor, filters=filters, page=page,
                                         sort=parse_sort(sort, queries.OFFER_SORTS))
    return page_of([offer_out(r) for r in records], total, page)


@router.get("/{offer_id}", response_model=OfferOut, summary="One offer (anonymized unless you may see more)")
def get_offer(offer_id: Id, session: DbSession, actor: MaybeActor):
    return offer_out(queries.get_offer(session, actor=actor, offer_id=offer_id))


@router.post("", response_model=OfferOut, status_code=201, summary="List an offer")
def create_offer(body: OfferCreate, session: DbSession, actor: MaybeActor):
    offer = service.create_offer(session, actor=actor, data=body)
    return offer_out(queries.describe_offers(session, actor=actor, offers=[offer])[0])


@router.patch("/{offer_id}", response_model=OfferOut, summary="Change some fields of an offer")
def update_offer(offer_id: Id, body: OfferUpdate, session: DbSession, actor: MaybeActor):
    offer = service.update_offer(session, actor=actor, offer_id=offer_id, data=body)
    return offer_out(queries.describe_offers(session, actor=actor, offers=[offer])[0])


@router.post("/{offer_id}/withdraw", response_model=OfferOut, summary="Withdraw an offer")
def withdraw_offer(offer_id: Id, session: DbSession, actor: MaybeActor, body: WithdrawRequest | None = None):
    offer = service.withdraw_offer(session, actor=actor, offer_id=offer_id, reason=body.reason if body else None)
    return offer_out(queries.describe_offers(session, actor=actor, offers=[offer])[0])

"""Reading offers: who sees which offers, who sees the expert's personal data, filters and search.

Anonymization happens here, in the service layer: a record built for someone without the right
to personal data never carries it, so no view or template can leak it by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.enums import int_to_cefr
from capmatch.errors import NotFound
from capmatch.i18n import _
from capmatch.needs.models import Need
from capmatch.needs.queries import language_codes_matching, websearch
from capmatch.offers.models import Offer, OfferArea, OfferLanguage, PastDeployment
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest, fetch_page
from capmatch.proposals.models import Proposal
from capmatch.sorting import Sort
from capmatch.taxonomy.models import Area, Country, Language


@dataclass(frozen=True)
class ProviderView:
    id: int
    name: str
    kind: str
    country: str | None
    acronym: str | None = None  # lists show it in place of the name


@dataclass(frozen=True)
class OfferLanguageView:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class PastDeploymentView:
    country: str
    role: str
    started_on: date
    ended_on: date | None
    appraisal: int | None
    organization_name: str | None  # None unless the reader may see personal data
    comment: str | None = None  # the host's, on a deployment completed here; personal data too
    proposal_id: int | None = None  # the completed proposal that wrote it; None: the provider's entry


@dataclass(frozen=True)
class PersonalData:
    expert_name: str | None
    expert_email: str | None


@dataclass(frozen=True)
class OfferRecord:
    """An offer as one reader may see it; `personal` is None when the profile is anonymized."""

    id: int
    provider: ProviderView
    kind: str
    title: str
    summary: str
    nationality: str | None
    gender: str | None
    years_experience: int
    areas: list[str]
    skills: list[str]
    languages: list[OfferLanguageView]
    capacity: int
    reserved: int
    available_from: date
    available_until: date | None
    lead_time_days: int
    max_duration_months: int
    monthly_cost_usd: Decimal | None
    cost_bearer: str
    screening_valid_until: date | None
    credentials_valid_until: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    past_deployments: list[PastDeploymentView]
    personal: PersonalData | None


@dataclass(frozen=True)
class OfferFilters:
    cluster: str | None = None
    area: str | None = None
    country: str | None = None
    language: str | None = None
    status: tuple[str, ...] = ("available",)
    provider_kind: tuple[str, ...] = ()
    global_south: bool | None = None
    kind: tuple[str, ...] = ()
    provider: int | None = None
    q: str | None = None


def can_see_personal_data(session: Session, actor: Actor | None, offer: Offer) -> bool:
    """The expert's name, e-mail and past employers: the provider's own users and the secretariat,
    and a requester once the provider has confirmed the release of this offer's expert for one of
    the requester's needs (a proposal confirmed, agreed, deployed or completed). Until then a
    requester sees the anonymized profile only.
    """
    if actor is None:
        return False
    if actor.is_secretariat or actor.acts_for(offer.provider_org_id):
        return True
    if actor.organization_id is None:
        return False
    return bool(session.scalar(sa.select(_released(offer.id, actor.organization_id))))


# The provider has released the expert from these states on.
RELEASED_PROPOSAL_STATUSES = ("confirmed", "agreed", "deployed", "completed")


def _released(offer_id: int | sa.ColumnElement[int], requester_org_id: int) -> sa.Exists:
    """A proposal of the offer to one of the requester's needs that its provider has released."""
    return sa.exists().where(
        Proposal.offer_id == offer_id,
        Proposal.status.in_(RELEASED_PROPOSAL_STATUSES),
        Proposal.need_id.in_(sa.select(Need.id).where(Need.requester_org_id == requester_org_id)),
    )


def personal_data_visible(actor: Actor | None) -> sa.ColumnElement[bool]:
    """can_see_personal_data as a condition on each offer of a statement (an export of thousands)."""
    if actor is None or (actor.organization_id is None and not actor.is_secretariat):
        return sa.false()
    if actor.is_secretariat:
        return sa.true()
    return sa.or_(Offer.provider_org_id == actor.organization_id, _released(Offer.id, actor.organization_id))


def visible_offers(actor: Actor | None) -> sa.ColumnElement[bool]:
    """Withdrawn offers are seen only by their provider and the secretariat; the rest by anyone."""
    if actor is not None and actor.is_secretariat:
        return sa.true()
    live = Offer.status != "withdrawn"
    if actor is not None and actor.organization_id is not None:
        return sa.or_(live, Offer.provider_org_id == actor.organization_id)
    return live


def can_see_offer(actor: Actor | None, offer: Offer) -> bool:
    if offer.status != "withdrawn":
        return True
    return actor is not None and (actor.is_secretariat or actor.acts_for(offer.provider_org_id))


# The columns a list of offers sorts by; the id breaks ties, so a page never repeats or skips an offer.
OFFER_SORTS = {
    "available_from": Offer.available_from,
    "experience": Offer.years_experience,
    "posted": Offer.created_at,
}
# Without a sort or a search: the soonest available first.
DEFAULT_OFFER_SORT = Sort("available_from")


def list_offers(
    session: Session, *, actor: Actor | None, filters: OfferFilters, page: PageRequest, sort: Sort | None = None
) -> tuple[list[OfferRecord], int]:
    """A page of offers, in `sort`'s order; without one, the soonest available first, or a search's best match."""
    stmt = (
        sa.select(Offer)
        .join(Organization, Organization.id == Offer.provider_org_id)
        .where(*offer_conditions(actor, filters))
    )
    if filters.q and filters.q.strip() and sort is None:
        stmt = stmt.order_by(sa.func.ts_rank(Offer.search, websearch(filters.q.strip())).desc(), Offer.id)
    else:
        sort = sort or DEFAULT_OFFER_SORT
        column = OFFER_SORTS[sort.key]
        stmt = stmt.order_by(column.desc() if sort.descending else column.asc(), Offer.id)
    offers, total = fetch_page(session, stmt, page)
    return describe_offers(session, actor=actor, offers=offers), total


def offer_conditions(actor: Actor | None, filters: OfferFilters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a list of offers: what the actor may see, the filters, a search.

    They name Organization: the statement joins the provider (Organization.id == Offer.provider_org_id).
    """
    f = filters
    where = [visible_offers(actor)]
    if f.cluster:
        where.append(sa.exists().where(
            OfferArea.offer_id == Offer.id,
            OfferArea.area_code.in_(sa.select(Area.code).where(Area.cluster_code == f.cluster.lower())),
        ))
    if f.area:
        where.append(sa.exists().where(OfferArea.offer_id == Offer.id, OfferArea.area_code == f.area.lower()))
    if f.country:
        country = f.country.strip().upper()
        where.append(sa.or_(Offer.nationality_iso3 == country, Organization.country_iso3 == country))
    if f.language:
        where.append(sa.exists().where(
            OfferLanguage.offer_id == Offer.id,
            OfferLanguage.language_code.in_(language_codes_matching(f.language)),
        ))
    if f.status:
        where.append(Offer.status.in_(f.status))
    if f.provider_kind:
        where.append(Organization.kind.in_(f.provider_kind))
    if f.kind:
        where.append(Offer.kind.in_(f.kind))
    if f.provider is not None:
        where.append(Offer.provider_org_id == f.provider)
    if f.global_south is not None:
        # The expert's own country when the offer is a person, else the provider's.
        home = sa.func.coalesce(Offer.nationality_iso3, Organization.country_iso3)
        where.append(home.in_(sa.select(Country.iso3).where(Country.global_south.is_(f.global_south))))
    if f.q and f.q.strip():
        where.append(Offer.search.bool_op("@@")(websearch(f.q.strip())))
    return where


def get_offer(session: Session, *, actor: Actor | None, offer_id: int) -> OfferRecord:
    offer = session.get(Offer, offer_id)
    if offer is None or not can_see_offer(actor, offer):
        raise NotFound(_("No offer has the id {id}.", id=offer_id))
    return describe_offers(session, actor=actor, offers=[offer])[0]


def describe_offers(session: Session, *, actor: Actor | None, offers: list[Offer]) -> list[OfferRecord]:
    if not offers:
        return []
    ids = [o.id for o in offers]
    providers = {
        row.id: ProviderView(row.id, row.name, row.kind, row.country_iso3, row.acronym)
        for row in session.execute(
            sa.select(Organization.id, Organization.name, Organization.kind, Organization.country_iso3,
                      Organization.acronym).where(
                Organization.id.in_({o.provider_org_id for o in offers})
            )
        )
    }
    # Plain columns, not child entities: updates replace these rows and must not collide with
    # stale copies in the identity map.
    areas: dict[int, list[str]] = {i: [] for i in ids}
    for offer_id, code in session.execute(
        sa.select(OfferArea.offer_id, OfferArea.area_code)
        .join(Area, Area.code == OfferArea.area_code)
        .where(OfferArea.offer_id.in_(ids))
        .order_by(OfferArea.offer_id, Area.position, Area.code)
    ):
        areas[offer_id].append(code)
    languages: dict[int, list[OfferLanguageView]] = {i: [] for i in ids}
    for offer_id, code, name, level in session.execute(
        sa.select(OfferLanguage.offer_id, OfferLanguage.language_code, Language.name, OfferLanguage.level)
        .join(Language, Language.code == OfferLanguage.language_code)
        .where(OfferLanguage.offer_id.in_(ids))
        .order_by(OfferLanguage.offer_id, OfferLanguage.level.desc(), OfferLanguage.language_code)
    ):
        languages[offer_id].append(OfferLanguageView(code, name, int_to_cefr(level)))
    personal = {o.id: can_see_personal_data(session, actor, o) for o in offers}
    past: dict[int, list[PastDeploymentView]] = {i: [] for i in ids}
    for row in session.execute(
        sa.select(PastDeployment).where(PastDeployment.offer_id.in_(ids))
        .order_by(PastDeployment.offer_id, PastDeployment.started_on.desc(), PastDeployment.id)
    ).scalars():
        past[row.offer_id].append(
            PastDeploymentView(
                row.country_iso3, row.role, row.started_on, row.ended_on, row.appraisal,
                row.organization_name if personal[row.offer_id] else None,
                row.comment if personal[row.offer_id] else None, row.proposal_id,
            )
        )
    return [
        OfferRecord(
            id=o.id, provider=providers[o.provider_org_id], kind=o.kind, title=o.title, summary=o.summary,
            nationality=o.nationality_iso3, gender=o.gender, years_experience=o.years_experience,
            areas=areas[o.id], skills=list(o.skills), languages=languages[o.id], capacity=o.capacity,
            reserved=o.reserved, available_from=o.available_from, available_until=o.available_until,
            lead_time_days=o.lead_time_days, max_duration_months=o.max_duration_months,
            monthly_cost_usd=o.monthly_cost_usd, cost_bearer=o.cost_bearer,
            screening_valid_until=o.screening_valid_until, credentials_valid_until=o.credentials_valid_until,
            status=o.status, created_at=o.created_at, updated_at=o.updated_at,
            past_deployments=past[o.id],
            personal=PersonalData(o.expert_name, o.expert_email) if personal[o.id] else None,
        )
        for o in offers
    ]

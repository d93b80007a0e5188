"""The statement behind each export: one flat row per record, in the columns of capmatch.exports.columns.

Each takes its WHERE clauses from the list it exports (capmatch.needs.queries.need_conditions,
offers.queries.offer_conditions, proposals.queries.proposal_conditions), so a file holds what the
list shows its reader, no more. Lists of values (languages, areas) are aggregated in SQL, so a row
is complete as it streams and nothing is looked up per row in Python.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from capmatch.auth.actor import Actor
from capmatch.enums import CEFR_LEVELS
from capmatch.matching.models import MatchRun, RunGap
from capmatch.needs.models import Need, NeedLanguage
from capmatch.needs.queries import NeedFilters, need_conditions
from capmatch.offers.models import Offer, OfferArea, OfferLanguage
from capmatch.offers.queries import OfferFilters, offer_conditions, personal_data_visible
from capmatch.organizations.models import Organization
from capmatch.proposals.models import Proposal
from capmatch.proposals.queries import ProposalFilters, proposal_conditions
from capmatch.taxonomy.models import Area, Cluster, Country

Statement = tuple[sa.Select, dict[str, Any]]

DEPLOYMENT_STATUSES = ("deployed", "completed")


def _cefr(level: sa.ColumnElement[int]) -> sa.ColumnElement[str]:
    return sa.case({i: code for i, code in enumerate(CEFR_LEVELS, start=1)}, value=level)


def _need_languages() -> sa.ScalarSelect:
    """code:level;code:level, strictest first: the roster files' way of writing languages."""
    item = NeedLanguage.language_code + ":" + _cefr(NeedLanguage.min_level)
    order = aggregate_order_by(sa.literal(";"), NeedLanguage.min_level.desc(), NeedLanguage.language_code)
    return sa.select(sa.func.string_agg(item, order)).where(NeedLanguage.need_id == Need.id).scalar_subquery()


def _end_by() -> sa.ColumnElement:
    return sa.cast(Need.start_by + sa.func.make_interval(0, Need.duration_months), sa.Date)


class _NeedSide:
    """The need's side of a row: its requester, duty country and area, joined once per statement."""

    def __init__(self) -> None:
        self.requester = aliased(Organization, name="requester")
        self.duty = aliased(Country, name="duty")
        self.area = aliased(Area, name="area")
        self.cluster = aliased(Cluster, name="cluster")

    def columns(self, title: str = "need_title") -> list[sa.ColumnElement]:
        return [
            Need.id.label("need_id"), Need.title.label(title), Need.requester_org_id.label("requester_id"),
            self.requester.name.label("requester"), self.duty.iso3.label("duty_country_code"),
            self.duty.name.label("duty_country"), self.duty.region.label("duty_region"),
            self.cluster.code.label("cluster_code"), self.cluster.name.label("cluster"),
            self.area.code.label("area_code"), self.area.name.label("area"),
        ]

    def join(self, stmt: sa.Select) -> sa.Select:
        return (stmt.join(self.requester, self.requester.id == Need.requester_org_id)
                .join(self.duty, self.duty.iso3 == Need.duty_country_iso3)
                .join(self.area, self.area.code == Need.area_code)
                .join(self.cluster, self.cluster.code == self.area.cluster_code))


class _ProviderSide:
    def __init__(self) -> None:
        self.home = aliased(Country, name="provider_country")
        self.nation = aliased(Country, name="nationality")

    def columns(self) -> list[sa.ColumnElement]:
        return [
            Organization.id.label("provider_id"), Organization.name.label("provider"),
            Organization.kind.label("provider_kind"), self.home.iso3.label("provider_country_code"),
            self.home.name.label("provider_country"),
        ]

    def expert(self) -> list[sa.ColumnElement]:
        return [self.nation.iso3.label("nationality_code"), self.nation.name.label("nationality"),
                Offer.gender.label("gender")]

    def join(self, stmt: sa.Select) -> sa.Select:
        # Intergovernmental providers have no home country; only individual experts a nationality.
        return (stmt.join(Organization, Organization.id == Offer.provider_org_id)
                .outerjoin(self.home, self.home.iso3 == Organization.country_iso3)
                .outerjoin(self.nation, self.nation.iso3 == Offer.nationality_iso3))


def needs(actor: Actor | None, filters: NeedFilters) -> Statement:
    where, params = need_conditions(actor, filters)
    side = _NeedSide()
    stmt = sa.select(
        *side.columns(title="title"), sa.func.array_to_string(Need.skills, ";").label("skills"),
        _need_languages().label("languages"), Need.min_years_experience, Need.positions, Need.answer_by, Need.start_by,
        _end_by().label("end_by"), Need.duration_months, Need.modality, Need.funding, Need.urgency,
        Need.gender_target, Need.status, Need.created_at,
    ).select_from(Need)
    return side.join(stmt).where(*where).order_by(Need.id), params


def offers(actor: Actor | None, filters: OfferFilters) -> Statement:
    side = _ProviderSide()
    personal = personal_data_visible(actor)
    areas = (sa.select(sa.func.string_agg(OfferArea.area_code, aggregate_order_by(sa.literal(";"), OfferArea.area_code)))
             .where(OfferArea.offer_id == Offer.id).scalar_subquery())
    clusters = (sa.select(sa.func.string_agg(sa.distinct(Area.cluster_code),
                                             aggregate_order_by(sa.literal(";"), Area.cluster_code)))
                .join(OfferArea, OfferArea.area_code == Area.code)
                .where(OfferArea.offer_id == Offer.id).scalar_subquery())
    language = OfferLanguage.language_code + ":" + _cefr(OfferLanguage.level)
    order = aggregate_order_by(sa.literal(";"), OfferLanguage.level.desc(), OfferLanguage.language_code)
    languages = (sa.select(sa.func.string_agg(language, order))
                 .where(OfferLanguage.offer_id == Offer.id).scalar_subquery())
    stmt = sa.select(
        Offer.id.label("offer_id"), Offer.kind, Offer.title, Offer.summary, *side.columns(), *side.expert(),
        Offer.years_experience, clusters.label("cluster_codes"), areas.label("area_codes"),
        sa.func.array_to_string(Offer.skills, ";").label("skills"), languages.label("languages"), Offer.capacity,
        Offer.reserved, Offer.available_from, Offer.available_until, Offer.lead_time_days,
        Offer.max_duration_months, Offer.monthly_cost_usd, Offer.cost_bearer, Offer.status,
        sa.case((personal, Offer.expert_name)).label("expert_name"),
        sa.case((personal, Offer.expert_email)).label("expert_email"),
    ).select_from(Offer)
    return side.join(stmt).where(*offer_conditions(actor, filters)).order_by(Offer.id), {}


def proposals(actor: Actor, filters: ProposalFilters) -> Statement:
    need_side, provider_side = _NeedSide(), _ProviderSide()
    stmt = sa.select(
        Proposal.id.label("proposal_id"), Proposal.run_id, Proposal.status, Proposal.score, *need_side.columns(),
        Offer.id.label("offer_id"), Offer.title.label("offer_title"), *provider_side.columns(), Need.start_by,
        _end_by().label("end_by"), Proposal.deadline_at, Proposal.reason, Proposal.created_at, Proposal.updated_at,
    ).select_from(Proposal).join(Need, Need.id == Proposal.need_id).join(Offer, Offer.id == Proposal.offer_id)
    stmt = provider_side.join(need_side.join(stmt))
    return stmt.where(*proposal_conditions(actor, filters)).order_by(Proposal.id), {}


def deployments(actor: Actor, filters: ProposalFilters) -> Statement:
    """The experts deployed (or whose deployment is completed): from where, to where, for whom."""
    need_side, provider_side = _NeedSide(), _ProviderSide()
    stmt = sa.select(
        Proposal.id.label("proposal_id"), Proposal.status, *need_side.columns(), Offer.id.label("offer_id"),
        Offer.kind.label("offer_kind"), *provider_side.columns(), *provider_side.expert(), Need.start_by,
        _end_by().label("end_by"), Need.duration_months, Proposal.appraisal,
    ).select_from(Proposal).join(Need, Need.id == Proposal.need_id).join(Offer, Offer.id == Proposal.offer_id)
    stmt = provider_side.join(need_side.join(stmt))
    where = proposal_conditions(actor, filters)
    if not filters.status:
        where.append(Proposal.status.in_(DEPLOYMENT_STATUSES))
    return stmt.where(*where).order_by(Proposal.id), {}


def latest_run_id() -> sa.ScalarSelect:
    return (sa.select(MatchRun.id).where(MatchRun.status == "succeeded")
            .order_by(MatchRun.finished_at.desc().nulls_last(), MatchRun.id.desc()).limit(1).scalar_subquery())


def gaps(actor: Actor, filters: NeedFilters, *, run_id: int | None) -> Statement:
    """The positions a run left unfilled (the latest run that succeeded, unless one is named), with why."""
    where, params = need_conditions(actor, filters)
    side = _NeedSide()
    reason = sa.func.jsonb_array_elements(RunGap.reasons).table_valued("value").alias("reason")
    reasons = (sa.select(sa.func.string_agg(reason.c.value.op("->>")("message"), "; "))
               .select_from(reason).scalar_subquery())
    stmt = sa.select(
        RunGap.run_id, *side.columns(), _need_languages().label("languages"), Need.positions, RunGap.unfilled,
        Need.start_by, _end_by().label("end_by"), RunGap.reasons.op("->")(0).op("->>")("code").label("main_reason"),
        reasons.label("reasons"),
    ).select_from(RunGap).join(Need, Need.id == RunGap.need_id)
    run = run_id if run_id is not None else latest_run_id()
    stmt = side.join(stmt).where(RunGap.run_id == run, *where)
    return stmt.order_by(RunGap.unfilled.desc(), Need.id), params

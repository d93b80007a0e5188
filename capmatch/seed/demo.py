"""Load the demo marketplace from seed/demo/ (organizations, users, needs, offers) and seed/policies.json.

Idempotent by natural keys, without any seed-only column in the schema:
organizations by name, users by email, policies by name, needs by (requester, title),
individual experts by (provider, expert e-mail) and other offers by (provider, title).
A row that already exists is left as it is: a second load inserts nothing and never
overwrites what people have since changed through the app (a need's status, an offer's
reservations). To start again from the files, reset the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from capmatch.auth.passwords import hash_password
from capmatch.enums import DEFAULT_AGREEMENT_FORM
from capmatch.models import (
    Membership, Need, NeedEligibleGrouping, NeedLanguage, Offer, OfferArea, OfferLanguage, Organization, PastDeployment,
    Policy, User,
)
from capmatch.seed import DEMO_DIR, SEED_DIR
from capmatch.seed.files import organization_key, read_json

DEMO_PASSWORD = "capmatch-demo"


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    organization: str | None  # the organization's key (files.organization_key), None for the secretariat


DEMO_USERS: tuple[DemoUser, ...] = tuple(
    DemoUser(entry["email"], entry["role"], entry["organization"]) for entry in read_json(DEMO_DIR / "users.json")
)


@dataclass(frozen=True)
class DemoCounts:
    organizations: int
    memberships: int
    users: int
    policies: int
    needs: int
    offers: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_organizations(session: Session) -> dict[str, int]:
    """Insert missing organizations and memberships; return ids by key (files.organization_key)."""
    entries = read_json(DEMO_DIR / "organizations.json")
    rows = [
        {
            "name": e["name"], "acronym": e["acronym"], "kind": e["kind"], "country_iso3": e["country_iso3"],
            "agreement_form": DEFAULT_AGREEMENT_FORM[e["kind"]], "may_request": e["may_request"],
            "may_provide": e["may_provide"], "description": e["description"],
        }
        for e in entries
    ]
    session.execute(insert(Organization).values(rows).on_conflict_do_nothing(index_elements=["name"]))
    by_name = dict(session.execute(
        sa.select(Organization.name, Organization.id).where(Organization.name.in_([e["name"] for e in entries]))
    ).all())
    ids = {organization_key(e): by_name[e["name"]] for e in entries}
    members = [{"organization_id": ids[organization_key(e)], "country_iso3": iso3}
               for e in entries for iso3 in e["members"]]
    if members:
        session.execute(insert(Membership).values(members).on_conflict_do_nothing())
    return ids


def load_policies(session: Session) -> None:
    has_default = session.scalar(sa.select(sa.func.count()).select_from(Policy).where(Policy.is_default)) > 0
    for entry in read_json(SEED_DIR / "policies.json"):
        # Someone may already have made another policy the default: there can be only one.
        row = dict(entry, is_default=entry["is_default"] and not has_default)
        session.execute(insert(Policy).values(row).on_conflict_do_nothing(index_elements=["name"]))
        has_default = has_default or row["is_default"]


def load_users(session: Session, org_ids: dict[str, int]) -> dict[str, int]:
    """Insert missing demo users (password capmatch-demo); return user ids by organization acronym."""
    entries = read_json(DEMO_DIR / "users.json")
    existing = set(session.scalars(sa.select(User.email).where(User.email.in_([e["email"] for e in entries]))))
    for entry in entries:
        if entry["email"] in existing:
            continue  # hashing is slow on purpose: only for users we actually create
        session.add(User(
            email=entry["email"], full_name=entry["full_name"], role=entry["role"],
            organization_id=org_ids.get(entry["organization"]), password_hash=hash_password(DEMO_PASSWORD),
            language=entry.get("language"), is_focal_point=entry.get("focal_point", False),
        ))
    session.flush()  # users' ids are needed as the creators of needs and offers
    users = session.execute(sa.select(User.organization_id, User.id).where(User.email.in_([e["email"] for e in entries])))
    by_org: dict[int, int] = {}
    for org_id, user_id in users:
        if org_id is not None:
            by_org.setdefault(org_id, user_id)
    return {acronym: by_org[org_id] for acronym, org_id in org_ids.items() if org_id in by_org}


def load_needs(session: Session, org_ids: dict[str, int], creators: dict[str, int]) -> None:
    existing = {tuple(row) for row in session.execute(
        sa.select(Need.requester_org_id, Need.title).where(Need.requester_org_id.in_(org_ids.values()))
    )}
    for e in read_json(DEMO_DIR / "needs.json"):
        org_id = org_ids[e["requester"]]
        if (org_id, e["title"]) in existing:
            continue
        need = Need(
            requester_org_id=org_id, duty_country_iso3=e["duty_country_iso3"], title=e["title"],
            terms_of_reference=e["terms_of_reference"], area_code=e["area_code"], skills=e["skills"],
            min_years_experience=e["min_years_experience"], positions=e["positions"], start_by=_day(e["start_by"]),
            answer_by=_day(e["answer_by"]),
            duration_months=e["duration_months"], modality=e["modality"], funding=e["funding"],
            urgency=e["urgency"], status=e["status"],
            allowed_provider_kinds=e["allowed_provider_kinds"], exclude_duty_nationals=e["exclude_duty_nationals"],
            gender_target=Decimal(str(e["gender_target"])) if e["gender_target"] is not None else None,
            created_by_id=creators.get(e["requester"]),
        )
        session.add(need)
        session.flush()  # the need's id keys its language requirements and its groupings
        session.add_all(NeedLanguage(need_id=need.id, language_code=l["code"], min_level=l["min_level"])
                        for l in e["languages"])
        session.add_all(NeedEligibleGrouping(need_id=need.id, organization_id=org_ids[acronym])
                        for acronym in e["eligible_members_of"])


def load_offers(session: Session, org_ids: dict[str, int], creators: dict[str, int]) -> None:
    rows = session.execute(
        sa.select(Offer.provider_org_id, Offer.expert_email, Offer.title).where(Offer.provider_org_id.in_(org_ids.values()))
    ).all()
    existing = {(org_id, email or title) for org_id, email, title in rows}
    for e in read_json(DEMO_DIR / "offers.json"):
        org_id = org_ids[e["provider"]]
        if (org_id, e["expert_email"] or e["title"]) in existing:
            continue
        offer = Offer(
            provider_org_id=org_id, kind=e["kind"], title=e["title"], summary=e["summary"],
            expert_name=e["expert_name"], expert_email=e["expert_email"], nationality_iso3=e["nationality_iso3"],
            gender=e["gender"], years_experience=e["years_experience"], skills=e["skills"], capacity=e["capacity"],
            available_from=_day(e["available_from"]), available_until=_day(e["available_until"]),
            lead_time_days=e["lead_time_days"], max_duration_months=e["max_duration_months"],
            monthly_cost_usd=Decimal(e["monthly_cost_usd"]), cost_bearer=e["cost_bearer"],
            screening_valid_until=_day(e["screening_valid_until"]),
            credentials_valid_until=_day(e["credentials_valid_until"]), status=e["status"],
            created_by_id=creators.get(e["provider"]),
        )
        session.add(offer)
        session.flush()  # the offer's id keys its areas, languages and past deployments
        session.add_all(OfferArea(offer_id=offer.id, area_code=code) for code in e["areas"])
        session.add_all(OfferLanguage(offer_id=offer.id, language_code=l["code"], level=l["level"]) for l in e["languages"])
        session.add_all(
            PastDeployment(offer_id=offer.id, country_iso3=d["country_iso3"], organization_name=d["organization_name"],
                           role=d["role"], started_on=_day(d["started_on"]), ended_on=_day(d["ended_on"]),
                           appraisal=d["appraisal"])
            for d in e["past_deployments"]
        )


def load_demo(session: Session) -> DemoCounts:
    """Load the demo marketplace (the taxonomy must be loaded first); the caller commits."""
    org_ids = load_organizations(session)
    load_policies(session)
    creators = load_users(session, org_ids)
    load_needs(session, org_ids, creators)
    load_offers(session, org_ids, creators)
    session.flush()
    return demo_counts(session)


def demo_counts(session: Session) -> DemoCounts:
    def count(model: type) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    return DemoCounts(
        organizations=count(Organization), memberships=count(Membership), users=count(User),
        policies=count(Policy), needs=count(Need), offers=count(Offer),
    )

"""Plain factory functions for tests: each adds one row with sensible defaults, flushes, and returns it.

They need the reference data the `taxonomy` fixture loads (countries, areas, languages).
Names and e-mails are numbered so every call makes a distinct row; override any column by keyword.
"""

from __future__ import annotations

import itertools
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import DEFAULT_AGREEMENT_FORM, FIXED_PROPOSAL_STATUSES, RESERVING_PROPOSAL_STATUSES
from capmatch.matching.core.policy import COMPONENTS
from capmatch.matching.models import MatchRun, RunGap
from capmatch.models import Need, NeedEligibleGrouping, NeedLanguage, Offer, OfferArea, OfferLanguage, Organization, User
from capmatch.proposals.models import Proposal

_numbers = itertools.count(1)
# Tests share one hash of this password (cheap under CAPMATCH_ENV=test, see capmatch.auth.passwords).
TEST_PASSWORD = "correct-horse-battery"
_password_hash: str | None = None


def _test_password_hash() -> str:
    global _password_hash
    if _password_hash is None:
        from capmatch.auth.passwords import hash_password

        _password_hash = hash_password(TEST_PASSWORD)
    return _password_hash


def make_organization(session: Session, **overrides) -> Organization:
    number = next(_numbers)
    kind = overrides.pop("kind", "member_state_agency")
    values = {
        "name": f"Test organization {number}",
        "acronym": f"TO{number}",
        "kind": kind,
        "country_iso3": None if kind == "intergovernmental_organization" else "KEN",
        "agreement_form": DEFAULT_AGREEMENT_FORM[kind],
        "may_request": False,
        "may_provide": True,
        "description": "",
    }
    values.update(overrides)
    organization = Organization(**values)
    session.add(organization)
    session.flush()
    return organization


def make_user(session: Session, **overrides) -> User:
    number = next(_numbers)
    role = overrides.get("role", "officer")
    values = {
        "email": f"user{number}@test.example",
        "full_name": f"Test User {number}",
        "role": role,
        "password_hash": _test_password_hash(),
        "language": None,  # none chosen: the browser's
    }
    if role in ("requester", "provider") and "organization_id" not in overrides:
        may_request = role == "requester"
        org = make_organization(session, kind="un_entity" if may_request else "member_state_agency",
                                country_iso3="SSD" if may_request else "KEN",
                                may_request=may_request, may_provide=not may_request)
        values["organization_id"] = org.id
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def make_need(session: Session, *, languages: dict[str, int] | None = None, eligible_members_of: tuple[int, ...] = (),
              **overrides) -> Need:
    """An open need for one corrections adviser in South Sudan; `languages` maps codes to minimum levels,
    `eligible_members_of` names the groupings whose members' nationals alone may answer."""
    number = next(_numbers)
    if "requester_org_id" not in overrides:
        overrides["requester_org_id"] = make_organization(
            session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False
        ).id
    values = {
        "duty_country_iso3": "SSD",
        "title": f"Test need {number}: corrections adviser",
        "terms_of_reference": "Advise the prison service.",
        "area_code": "corrections",
        "skills": ["prison_management"],
        "min_years_experience": 5,
        "positions": 1,
        "start_by": date(2027, 3, 1),
        "duration_months": 12,
        "modality": "deployed_expert",
        "funding": "requester_paid",
        "urgency": "normal",
        "status": "open",
    }
    values.update(overrides)
    need = Need(**values)
    session.add(need)
    session.flush()
    for code, level in (languages if languages is not None else {"eng": 5}).items():
        session.add(NeedLanguage(need_id=need.id, language_code=code, min_level=level))
    session.add_all(NeedEligibleGrouping(need_id=need.id, organization_id=org_id) for org_id in eligible_members_of)
    session.flush()
    return need


def make_offer(session: Session, *, areas: list[str] | None = None, languages: dict[str, int] | None = None,
               **overrides) -> Offer:
    """An available Kenyan corrections expert speaking English (C2); `languages` maps codes to levels."""
    number = next(_numbers)
    if "provider_org_id" not in overrides:
        overrides["provider_org_id"] = make_organization(session).id
    values = {
        "kind": "individual_expert",
        "title": f"Test offer {number}: corrections adviser",
        "summary": "",
        "expert_name": f"Test Expert {number}",
        "expert_email": f"expert{number}@test.example",
        "nationality_iso3": "KEN",
        "gender": "female",
        "years_experience": 10,
        "skills": ["prison_management"],
        "capacity": 1,
        "available_from": date(2027, 1, 1),
        "available_until": None,
        "lead_time_days": 30,
        "max_duration_months": 12,
        "monthly_cost_usd": 8000,
        "cost_bearer": "requester",
        "status": "available",
    }
    values.update(overrides)
    offer = Offer(**values)
    session.add(offer)
    session.flush()
    for code in areas if areas is not None else ["corrections"]:
        session.add(OfferArea(offer_id=offer.id, area_code=code))
    for code, level in (languages if languages is not None else {"eng": 6}).items():
        session.add(OfferLanguage(offer_id=offer.id, language_code=code, level=level))
    session.flush()
    return offer


def make_run(session: Session, *, status: str = "succeeded", **overrides) -> MatchRun:
    """A match run written directly (a real run executes through connections of its own), by default succeeded."""
    values = {"policy_snapshot": {"name": "default", "weights": {"skills": 3}, "constraints": {}}, "scope": {},
              "status": status, "phase": "done" if status == "succeeded" else status,
              "progress": 1.0 if status == "succeeded" else 0.0, "figures": {}}
    if status == "succeeded":
        values.update(positions_open=4, positions_filled=3, total_score=2.4, south_south_share=0.5,
                      solve_seconds=0.12, optimality_gap=None, solver="scipy/assignment", solver_version="1.14",
                      figures={"method": "assignment", "status": "optimal", "women_share": 0.5})
    values.update(overrides)
    run = MatchRun(**values)
    session.add(run)
    session.flush()
    return run


def breakdown(level: float) -> dict[str, float]:
    """A score breakdown with every component at `level`."""
    return {name: round(level, 4) for name in COMPONENTS}


def make_proposal(session: Session, run: MatchRun | None, *, score: float, need: Need | None = None,
                  offer: Offer | None = None, **overrides) -> Proposal:
    """A proposal of `run` (or none), status proposed; a need and an offer are made unless given."""
    need = need or make_need(session)
    offer = offer or make_offer(session)
    proposal = Proposal(run_id=run.id if run else None, need_id=need.id, offer_id=offer.id, score=score,
                        breakdown=overrides.pop("breakdown", breakdown(min(score, 1.0))), status="proposed",
                        **overrides)
    session.add(proposal)
    session.flush()
    return proposal


def make_gap(session: Session, run: MatchRun, *, need: Need, unfilled: int = 1,
             messages: tuple[str, ...] = ("No offer in elections is available.",)) -> RunGap:
    """A gap of `run`: `unfilled` positions of `need`, one reason per message."""
    gap = RunGap(run_id=run.id, need_id=need.id, unfilled=unfilled,
                 reasons=[{"code": "area", "count": 3, "message": m} for m in messages])
    session.add(gap)
    session.flush()
    return gap


def put_proposal(session: Session, need: Need, offer: Offer, status: str = "proposed", **values) -> Proposal:
    """A proposal already in `status`, with the offer's counter and the need's status to match.

    Unlike the other factories it commits (a savepoint in the rolled-back tests), as the workflow's steps do.
    """
    proposal = Proposal(need_id=need.id, offer_id=offer.id, score=0.5, breakdown={"skills": 0.5}, status=status,
                        **values)
    session.add(proposal)
    if status in RESERVING_PROPOSAL_STATUSES:
        offer.reserved += 1
    session.flush()
    held = session.scalar(sa.select(sa.func.count()).select_from(Proposal).where(
        Proposal.need_id == need.id, Proposal.status.in_(FIXED_PROPOSAL_STATUSES)))
    if need.status in ("open", "partially_filled", "filled"):
        need.status = "filled" if held >= need.positions else "partially_filled" if held else "open"
    if offer.status != "withdrawn":
        offer.status = "available" if offer.reserved < offer.capacity else (
            "deployed" if status == "deployed" else "reserved")
    session.commit()
    return proposal

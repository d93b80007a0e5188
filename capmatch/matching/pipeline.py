"""One match run end to end: snapshot, candidates, scores, solve, explain, write.

The database work is here; the computing is the pure core's (problem, scoring, solver,
constraints, explain), which sees only arrays.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import scipy
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.i18n import use
from capmatch.matching import writer
from capmatch.matching.gaps import sentence
from capmatch.matching.core.constraints import ConstrainedResult, solve_constrained
from capmatch.matching.core.explain import GapExplanation, Names, explain_gaps
from capmatch.matching.core.problem import Candidates, NeedArrays, OfferArrays, build_candidates
from capmatch.matching.core.policy import COMPONENTS, RunPolicy
from capmatch.matching.core.price import price_policy
from capmatch.matching.core.scoring import Policy, Scores, score_candidates, stored_breakdown
from capmatch.matching.codebook import Codebook, day_number, load_codebook
from capmatch.matching.snapshot import count_manual_kept, fingerprint, load_needs, load_offers

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Prepared:
    """Everything a run decides on: the snapshot, its candidate graph and scores."""

    needs: NeedArrays
    offers: OfferArrays
    codebook: Codebook
    candidates: Candidates
    scores: Scores
    policy: Policy
    constraints: dict[str, Any]
    input_hash: str
    today: int
    fixed: int
    seconds: dict[str, float]
    manual_kept: int = 0


def scoring_policy(policy: RunPolicy) -> Policy:
    return Policy(**{name: policy.weight(name) for name in COMPONENTS})


def map_excluded(needs: NeedArrays, offers: OfferArrays) -> NeedArrays:
    """The loader gives rejected offers by id; the core wants positions in the offer arrays."""
    indptr, offer_ids = needs.excluded_offers
    if len(offer_ids) == 0:
        return replace(needs, excluded_offers=(indptr, offer_ids.astype(np.int64)))
    pos = np.searchsorted(offers.offer_id, offer_ids)
    pos = np.minimum(pos, max(len(offers.offer_id) - 1, 0))
    found = (len(offers.offer_id) > 0) & (offers.offer_id[pos] == offer_ids) if len(offers.offer_id) else \
        np.zeros(len(offer_ids), dtype=bool)
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))[found]
    new_indptr = np.zeros_like(indptr)
    np.cumsum(np.bincount(rows, minlength=len(indptr) - 1), out=new_indptr[1:])
    return replace(needs, excluded_offers=(new_indptr, pos[found].astype(np.int64)))


def prepare(session: Session, *, policy: RunPolicy, scope: dict[str, Any], today: date | None = None,
            progress: Progress | None = None) -> Prepared:
    """Read the snapshot in `session` (the caller sets its isolation) and build the scored graph."""
    progress = progress or (lambda phase, fraction: None)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    progress("reading the snapshot", 0.05)
    book = load_codebook(session)
    needs, fixed = load_needs(session, book, scope=scope)
    offers = load_offers(session, book)
    needs = map_excluded(needs, offers)
    today_number = day_number(today or date.today())
    seconds["snapshot"] = time.perf_counter() - started

    progress("finding candidates", 0.3)
    started = time.perf_counter()
    candidates = build_candidates(needs, offers, today=today_number)
    seconds["candidates"] = time.perf_counter() - started

    progress("scoring", 0.45)
    started = time.perf_counter()
    scores = score_candidates(needs, offers, candidates, scoring_policy(policy))
    seconds["scoring"] = time.perf_counter() - started
    digest = fingerprint(needs, offers)
    return Prepared(needs, offers, book, candidates, scores, scoring_policy(policy), policy.constraints, digest,
                    today_number, fixed, seconds, count_manual_kept(session, scope=scope))


@dataclass(frozen=True)
class Outcome:
    chosen: np.ndarray  # edge indices into the candidate arrays
    total_score: float
    method: str
    gap: float | None
    status: str
    seconds: float
    result: ConstrainedResult


def solve(prepared: Prepared) -> Outcome:
    """Best set of proposals under the policy's side constraints (or the plain assignment)."""
    result = solve_constrained(
        prepared.needs, prepared.offers, prepared.candidates, prepared.scores, dict(prepared.constraints),
    )
    return Outcome(result.edges, result.total_score, result.method, result.gap, result.status, result.seconds, result)


def price(prepared: Prepared, outcome: Outcome) -> dict[str, Any] | None:
    """The total score with and without the policy's side constraints (None: the policy has none)."""
    priced = price_policy(prepared.needs, prepared.offers, prepared.candidates, prepared.scores,
                          dict(prepared.constraints), outcome.result)
    if priced is None:
        return None
    prepared.seconds["price"] = priced.seconds
    return priced.as_dict()


def figures_of(prepared: Prepared, outcome: Outcome) -> dict[str, Any]:
    chosen = outcome.chosen
    comps = prepared.scores.components
    need_pos = prepared.candidates.need[chosen]
    offer_pos = prepared.candidates.offer[chosen]
    filled = len(chosen)
    south = float(comps[chosen, COMPONENTS.index("south_south")].mean()) if filled else 0.0
    gender = prepared.offers.gender[offer_pos]
    known = gender > 0
    return {
        "needs": len(prepared.needs),
        "offers": len(prepared.offers),
        "candidates": len(prepared.candidates),
        "positions_open": int(prepared.needs.slots.sum()),
        "positions_filled": filled,
        "needs_touched": int(len(np.unique(need_pos))),
        "fixed_proposals": prepared.fixed,
        "total_score": float(outcome.total_score),
        "south_south_share": south,
        "women_share": float((gender[known] == 1).mean()) if known.any() else None,
        "method": outcome.method,
        "status": outcome.status,
        "infeasible": list(outcome.result.infeasible),
        "optimality_gap": outcome.gap,
        "seconds": {k: round(v, 4) for k, v in prepared.seconds.items()},
    }


def explain(prepared: Prepared, outcome: Outcome) -> list[GapExplanation]:
    names = prepared.codebook.names
    return explain_gaps(
        prepared.needs, prepared.offers, prepared.candidates, outcome.chosen,
        Names(areas=names["areas"], languages=names["languages"], countries=names["countries"]),
    )


def proposal_rows(prepared: Prepared, outcome: Outcome):
    """(need_id, offer_id, score, breakdown) for every chosen pair."""
    comps = prepared.scores.components
    for e in outcome.chosen.tolist():
        target = float(prepared.needs.gender_target[prepared.candidates.need[e]])
        breakdown = stored_breakdown(comps[e], gender_target=target)
        yield (
            int(prepared.needs.need_id[prepared.candidates.need[e]]),
            int(prepared.offers.offer_id[prepared.candidates.offer[e]]),
            float(prepared.scores.total[e]),
            breakdown,
        )


def gap_rows(explanations: list[GapExplanation]):
    """(need_id, unfilled, reasons): each reason's code, count and values, which the pages phrase in
    their reader's language, and its English sentence for the exports and the reports' examples."""
    for gap in explanations:
        reasons = [{"code": r.code, "count": r.count, "params": r.params} for r in gap.reasons]
        if gap.winners:
            reasons.append({"code": "winners", "count": len(gap.winners), "need_ids": list(gap.winners),
                            "params": {"needs": list(gap.winners)}})
        with use("en"):
            for reason in reasons:
                reason["message"] = sentence(reason)
        yield gap.need_id, gap.unfilled, reasons


def run_pipeline(engine: sa.Engine, run_id: int, progress: Progress) -> None:
    """Execute a claimed run. Raises on failure, having written nothing."""
    with Session(engine.execution_options(isolation_level="REPEATABLE READ")) as session:
        row = session.execute(
            sa.text("SELECT policy_snapshot, scope FROM match_runs WHERE id = :id"), {"id": run_id}
        ).one()
        snapshot, scope = row
        prepared = prepare(session, policy=RunPolicy.from_dict(snapshot), scope=scope or {}, progress=progress)
        session.rollback()  # read only: release the snapshot before the long computation

    progress("solving", 0.55)
    outcome = solve(prepared)
    prepared.seconds["solve"] = outcome.seconds
    progress("pricing the policy's constraints", 0.65)
    policy_price = price(prepared, outcome)
    progress("explaining the gaps", 0.75)
    started = time.perf_counter()
    gaps = explain(prepared, outcome)
    prepared.seconds["explain"] = time.perf_counter() - started

    progress("writing proposals", 0.85)
    started = time.perf_counter()
    with Session(engine) as session:
        need_ids = [int(i) for i in prepared.needs.need_id]
        superseded = writer.supersede_open_proposals(session, run_id=run_id, need_ids=need_ids)
        written = writer.insert_proposals(session, run_id=run_id, rows=proposal_rows(prepared, outcome))
        writer.insert_gaps(session, run_id=run_id, rows=gap_rows(gaps))
        prepared.seconds["write"] = time.perf_counter() - started
        figures = figures_of(prepared, outcome)
        figures.update(superseded=superseded, manual_kept=prepared.manual_kept, proposals_written=written,
                       unfilled_needs=len(gaps), policy_price=policy_price)
        writer.finish_run(session, run_id=run_id, values={
            "input_hash": prepared.input_hash,
            "solver": f"scipy/{outcome.method}",
            "solver_version": scipy.__version__,
            "positions_open": figures["positions_open"],
            "positions_filled": written,
            "total_score": figures["total_score"],
            "south_south_share": figures["south_south_share"],
            "solve_seconds": outcome.seconds,
            "optimality_gap": outcome.gap,
            "figures": figures,
        })
        session.commit()

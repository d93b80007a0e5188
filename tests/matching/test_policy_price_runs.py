"""A real run with side constraints records their price; its page says it in plain words."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.auth.actor import SYSTEM
from capmatch.enums import SOLVER_OUTCOMES
from capmatch.matching import queries, runs, service
from capmatch.matching.schemas import RunCreate
from capmatch.pagination import PageRequest
from tests.factories import make_need, make_offer, make_organization

# South-South and regional proximity weigh nothing here, so the Norwegian expert (with the need's
# skill) outscores the Kenyan one (without it): only the South-South floor makes the run choose Kenya.
WEIGHTS = {"south_south": 0, "regional": 0}


def start(session, **request) -> int:
    run = service.create_run(session, actor=SYSTEM, request=RunCreate(**request))
    session.commit()
    assert runs.execute(run.id) is True
    return run.id


def figures(session, run_id: int) -> dict:
    session.expire_all()
    return session.scalar(sa.text("SELECT figures FROM match_runs WHERE id = :id"), {"id": run_id})


def proposal_scores(session, run_id: int) -> dict[int, float]:
    rows = session.execute(sa.text("SELECT offer_id, score FROM proposals WHERE run_id = :r"), {"r": run_id})
    return dict(rows.all())


def test_a_south_south_floor_is_binding_and_costs_what_the_unconstrained_run_gains(committed):
    need = make_need(committed)
    north = make_offer(committed, provider_org_id=make_organization(committed, country_iso3="NOR").id,
                       nationality_iso3="NOR", gender="male")
    south = make_offer(committed, provider_org_id=make_organization(committed, country_iso3="KEN").id, skills=[])
    committed.commit()

    floored = start(committed, weights=WEIGHTS, constraints={"min_south_south_share": 1.0, "max_provider_share": 1.0})
    with_floor = proposal_scores(committed, floored)
    assert list(with_floor) == [south.id]
    price = figures(committed, floored)["policy_price"]

    free = start(committed, weights=WEIGHTS)  # the same input: the first run's proposals were only proposed
    without = proposal_scores(committed, free)
    assert list(without) == [north.id] and without[north.id] > with_floor[south.id]
    assert figures(committed, free)["policy_price"] is None  # nothing to price

    assert price["total"] == pytest.approx(with_floor[south.id])
    assert price["unconstrained_total"] == pytest.approx(without[north.id])
    assert price["exact"] is True and price["skipped"] is None
    by_name = {c["name"]: c for c in price["constraints"]}
    assert by_name["min_south_south_share"]["binding"] is True
    # Without the floor (the provider cap kept, which one placement always meets), the Norwegian is chosen.
    assert by_name["min_south_south_share"]["total_without"] == pytest.approx(without[north.id])
    assert by_name["max_provider_share"]["total_without"] == pytest.approx(with_floor[south.id])
    assert "price" in figures(committed, floored)["seconds"]

    comparison = queries.compare_runs(committed, actor=SYSTEM, a=floored, b=free, page=PageRequest(1, 10))
    assert (comparison.a.south_south_share, comparison.b.south_south_share) == (1.0, 0.0)
    assert (comparison.a.women_share, comparison.b.women_share) == (1.0, 0.0)
    assert [(d.need_id, d.only_a[0]["id"], d.only_b[0]["id"]) for d in comparison.differences] == [
        (need.id, south.id, north.id)]


def test_a_floor_no_candidate_can_meet_is_listed_apart_from_what_the_solver_reached(committed):
    make_need(committed)
    make_offer(committed, gender="male")
    committed.commit()
    figs = figures(committed, start(committed, constraints={"min_women_share": 0.5}))
    assert figs["infeasible"] == ["min_women_share"]
    assert figs["status"] in SOLVER_OUTCOMES

"""The officer's console: sign in through the real form, with runs, proposals and gaps written directly.

A run executes through its own connections, outside the test's transaction, so pages that show a
run's results are given MatchRun, Proposal and RunGap rows made here instead.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.matching.models import MatchRun, RunGap
from capmatch.matching.core.policy import COMPONENTS
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_user
from tests.web.conftest import form_token


@pytest.fixture
def policies(session):
    from capmatch.seed.demo import load_policies

    load_policies(session)
    session.flush()


@pytest.fixture
def officer(session):
    return make_user(session, role="officer")


@pytest.fixture
def as_officer(login, officer):
    return login(officer)


def make_run(session, *, status="succeeded", **overrides) -> MatchRun:
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
    return {name: round(level, 4) for name in COMPONENTS}


def make_proposal(session, run: MatchRun | None, *, score: float, need=None, offer=None, **overrides) -> Proposal:
    need = need or make_need(session)
    offer = offer or make_offer(session)
    proposal = Proposal(run_id=run.id if run else None, need_id=need.id, offer_id=offer.id, score=score,
                        breakdown=overrides.pop("breakdown", breakdown(min(score, 1.0))), status="proposed",
                        **overrides)
    session.add(proposal)
    session.flush()
    return proposal


def make_gap(session, run: MatchRun, *, need, unfilled=1, messages=("No offer in elections is available.",)):
    gap = RunGap(run_id=run.id, need_id=need.id, unfilled=unfilled,
                 reasons=[{"code": "area", "count": 3, "message": m} for m in messages])
    session.add(gap)
    session.flush()
    return gap


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def post(client, path, data, *, token_from="/officer"):
    return client.post(path, data={"csrf_token": form_token(client, token_from), **data}, follow_redirects=False)

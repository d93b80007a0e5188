"""Match runs: create and queue them, read their status, proposals and gaps."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_role
from capmatch.errors import CapmatchError, InvalidInput, NotFound, Problems, problems_of
from capmatch.i18n import N_, _
from capmatch.matching.core.policy import PolicyError, RunPolicy
from capmatch.matching.models import MatchRun, Policy, RunGap
from capmatch.matching.schemas import RunCreate
from capmatch.needs.models import Need
from capmatch.pagination import PageRequest
from capmatch.taxonomy.models import Area, Cluster, Country


def get_policy(session: Session, *, name: str | None) -> Policy:
    query = sa.select(Policy).where(Policy.name == name) if name else sa.select(Policy).where(Policy.is_default)
    policy = session.scalar(query)
    if policy is None:
        if name:
            raise InvalidInput(_("No matching policy is named {name}.", name=repr(name)), field="policy")
        raise InvalidInput(_("No default matching policy is configured; name one."), field="policy")
    return policy


def list_policies(session: Session) -> list[Policy]:
    return list(session.scalars(sa.select(Policy).order_by(Policy.is_default.desc(), Policy.name)))


def _check_scope(session: Session, scope: dict[str, Any], problems: Problems) -> None:
    checks = (("cluster", Cluster.code, N_("Choose the cluster from the list: there is no cluster {code}.")),
              ("area", Area.code, N_("Choose the capacity area from the list: there is no capacity area {code}.")),
              ("country", Country.iso3, N_("Choose the country from the list: there is no country {code}.")))
    for key, column, message in checks:
        if scope.get(key) and session.scalar(sa.select(column).where(column == scope[key])) is None:
            problems.add(_(message, code=repr(scope[key])), field=f"scope.{key}")


def _run_inputs(session: Session, request: RunCreate) -> tuple[Policy, RunPolicy, RunPolicy, dict[str, Any]]:
    """(the saved policy, its values, the run's values, the scope), every check at once: one InvalidInput
    carries all that failed (an unknown policy, every weight at zero, an unknown area)."""
    problems = Problems()
    policy = run_policy = saved = None
    with problems.check():
        policy = get_policy(session, name=request.policy)
    if policy is not None:
        saved = RunPolicy.from_dict({"weights": policy.weights, "constraints": policy.constraints})
        try:
            run_policy = RunPolicy.build(
                request.weights.model_dump(exclude_none=True) if request.weights else None,
                request.constraints.model_dump(exclude_none=True) if request.constraints else None,
                base=RunPolicy(saved.weights, {} if request.replace_constraints else saved.constraints),
            )
        except PolicyError as exc:
            problems.add(_(exc.template, **exc.values), field=exc.field)
    scope = request.scope.model_dump(exclude_none=True) if request.scope else {}
    if scope.get("country"):
        scope["country"] = scope["country"].upper()
    _check_scope(session, scope, problems)
    problems.raise_any()
    assert policy is not None and saved is not None and run_policy is not None
    return policy, saved, run_policy, scope


def run_problems(session: Session, *, actor: Actor | None, values: dict[str, Any]) -> list[CapmatchError]:
    """What is wrong with a run form's fields that passed the schema (an unknown policy or area),
    without writing anything: the form shows these with its other errors in one answer."""
    require_role(actor, "officer", "admin")
    return problems_of(lambda: _run_inputs(session, RunCreate.model_validate(values)))


def create_run(session: Session, *, actor: Actor | None, request: RunCreate) -> MatchRun:
    """Record a queued run with the policy as it stands now; the caller queues its job."""
    actor = require_role(actor, "officer", "admin")
    policy, saved, run_policy, scope = _run_inputs(session, request)
    run = MatchRun(
        created_by_id=actor.db_user_id,
        policy_id=policy.id,
        # "changed": the run's values are not the saved policy's (the form or the request changed some).
        policy_snapshot={"name": policy.name, **run_policy.as_dict(), "changed": run_policy != saved},
        scope=scope,
        status="queued",
        phase="queued",
        progress=0.0,
        figures={},
    )
    session.add(run)
    session.flush()  # the run's id goes into the job and the audit event
    record(session, actor=actor, entity_type="match_run", entity_id=run.id, action="created",
           to_state="queued", data={"policy": policy.name, "scope": scope})
    return run


def get_run(session: Session, *, actor: Actor | None, run_id: int) -> MatchRun:
    require_role(actor, "officer", "admin")
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound(_("No match run has the id {number}.", number=run_id))
    return run


# What the run's pages (officer/run.html, _run_status.html) show of it.
_RUN_RECORD = sa.select(*(
    MatchRun.__table__.c[name] for name in (
        "id", "created_at", "policy_snapshot", "scope", "solver", "solver_version",
        "status", "progress", "phase", "error", "positions_open", "positions_filled", "total_score",
        "south_south_share", "solve_seconds", "optimality_gap", "figures",
    )
)).where(MatchRun.__table__.c.id == sa.bindparam("run_id"))


def get_run_record(session: Session, *, actor: Actor | None, run_id: int) -> sa.Row:
    """A run as its pages show it: a plain row with the run's attribute names, not an ORM object.

    The run page is read far more often than a run changes: building and tracking the ORM object
    cost more than the row (benchmarks/web_notes.md).
    """
    require_role(actor, "officer", "admin")
    run = session.connection().execute(_RUN_RECORD, {"run_id": run_id}).first()
    if run is None:
        raise NotFound(_("No match run has the id {number}.", number=run_id))
    return run


def list_runs(session: Session, *, actor: Actor | None, page: PageRequest) -> tuple[list[MatchRun], int]:
    require_role(actor, "officer", "admin")
    total = session.scalar(sa.select(sa.func.count()).select_from(MatchRun)) or 0
    runs = session.scalars(
        sa.select(MatchRun).order_by(MatchRun.id.desc()).offset(page.offset).limit(page.page_size)
    ).all()
    return list(runs), total


def list_run_gaps(
    session: Session, *, actor: Actor | None, run_id: int, page: PageRequest
) -> tuple[list[dict[str, Any]], int]:
    get_run(session, actor=actor, run_id=run_id)
    total = session.scalar(sa.select(sa.func.count()).select_from(RunGap).where(RunGap.run_id == run_id)) or 0
    rows = session.execute(
        sa.select(RunGap.need_id, Need.title, RunGap.unfilled, RunGap.reasons)
        .join(Need, Need.id == RunGap.need_id)
        .where(RunGap.run_id == run_id)
        .order_by(RunGap.unfilled.desc(), RunGap.need_id)
        .offset(page.offset)
        .limit(page.page_size)
    ).all()
    keys = ("need_id", "need_title", "unfilled", "reasons")
    return [dict(zip(keys, row)) for row in rows], total

"""Match runs against real PostgreSQL: snapshot, incremental runs, failures and concurrency."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from capmatch.auth.actor import SYSTEM
from capmatch.matching import runs, service, writer
from capmatch.matching.schemas import RunCreate
from tests.factories import make_need, make_offer, make_organization


def start_run(session, **request) -> int:
    run = service.create_run(session, actor=SYSTEM, request=RunCreate(**request))
    session.commit()
    return run.id


def live_proposals(session) -> list[tuple[int, int, str]]:
    return session.execute(
        sa.text("SELECT need_id, offer_id, status FROM proposals "
                "WHERE status IN ('proposed', 'approved', 'accepted', 'confirmed', 'agreed', 'deployed') "
                "ORDER BY need_id, offer_id")
    ).all()


def run_row(session, run_id: int):
    session.expire_all()
    return session.execute(sa.text("SELECT * FROM match_runs WHERE id = :id"), {"id": run_id}).mappings().one()


def test_a_run_proposes_the_best_set_and_records_its_figures(committed):
    kenya = make_organization(committed, country_iso3="KEN")
    norway = make_organization(committed, country_iso3="NOR")
    need = make_need(committed, positions=2)
    south = make_offer(committed, provider_org_id=kenya.id, nationality_iso3="KEN")
    north = make_offer(committed, provider_org_id=norway.id, nationality_iso3="NOR")
    make_need(committed, status="draft")  # not open: never matched
    make_offer(committed, status="withdrawn")  # not available: never proposed
    committed.commit()

    run_id = start_run(committed)
    assert runs.execute(run_id) is True

    assert live_proposals(committed) == [(need.id, south.id, "proposed"), (need.id, north.id, "proposed")]
    run = run_row(committed, run_id)
    assert run["status"] == "succeeded" and run["progress"] == 1.0
    assert (run["positions_open"], run["positions_filled"]) == (2, 2)
    assert run["south_south_share"] == pytest.approx(0.5)
    assert run["input_hash"] and run["solver"].startswith("scipy/")
    breakdown = committed.scalar(sa.text("SELECT breakdown FROM proposals WHERE offer_id = :o"), {"o": south.id})
    assert breakdown["south_south"] == 1.0 and set(breakdown) >= {"skills", "language", "regional"}


def test_the_same_input_gives_the_same_proposals_and_hash(committed):
    for _ in range(3):
        make_need(committed)
        make_offer(committed)
    committed.commit()
    first = start_run(committed)
    runs.execute(first)
    before = committed.execute(sa.text("SELECT need_id, offer_id, score FROM proposals ORDER BY 1, 2")).all()
    second = start_run(committed)
    runs.execute(second)
    after = committed.execute(
        sa.text("SELECT need_id, offer_id, score FROM proposals WHERE run_id = :r ORDER BY 1, 2"), {"r": second}
    ).all()
    assert after == before
    assert run_row(committed, first)["input_hash"] == run_row(committed, second)["input_hash"]


def test_a_new_run_keeps_approved_proposals_and_fills_only_what_is_left(committed):
    need = make_need(committed, positions=2)
    held = make_offer(committed, capacity=1)
    other = make_offer(committed, capacity=1)
    spare = make_offer(committed, capacity=1)
    committed.commit()
    first = start_run(committed)
    runs.execute(first)
    # An officer approved one of the first run's proposals: it holds its offer and one position.
    committed.execute(sa.text("UPDATE proposals SET status = 'approved' WHERE run_id = :r AND offer_id = :o"),
                      {"r": first, "o": held.id})
    committed.execute(sa.text("UPDATE offers SET reserved = 1 WHERE id = :o"), {"o": held.id})
    committed.commit()

    second = start_run(committed)
    runs.execute(second)

    live = live_proposals(committed)
    assert (need.id, held.id, "approved") in live
    new = [p for p in live if p[2] == "proposed"]
    assert len(new) == 1 and new[0][1] in (other.id, spare.id)
    assert run_row(committed, second)["positions_open"] == 1
    superseded = committed.scalar(sa.text("SELECT count(*) FROM proposals WHERE status = 'superseded'"))
    assert superseded == 1


def test_a_run_that_fails_while_writing_leaves_no_proposals_and_says_why(committed, monkeypatch):
    make_need(committed)
    make_offer(committed)
    committed.commit()
    run_id = start_run(committed)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing gaps")

    monkeypatch.setattr(writer, "insert_gaps", broken)
    with pytest.raises(RuntimeError):
        runs.execute(run_id)

    assert committed.scalar(sa.text("SELECT count(*) FROM proposals")) == 0
    run = run_row(committed, run_id)
    assert run["status"] == "failed"
    assert "disk full while writing gaps" in run["error"]


def test_a_run_whose_worker_died_is_marked_failed_but_a_live_one_is_not(committed, runs_engine):
    dead = start_run(committed)
    alive = start_run(committed)
    committed.execute(sa.text("UPDATE match_runs SET status = 'running'"))
    committed.commit()
    with runs_engine.connect() as holder:  # the live run's worker holds its lock
        holder.execute(sa.text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": runs.RUN_LOCKS, "id": alive})
        assert runs.fail_abandoned_runs(committed) == 1
        committed.commit()
        holder.execute(sa.text("SELECT pg_advisory_unlock_all()"))
    assert run_row(committed, dead)["status"] == "failed"
    assert "stopped before it finished" in run_row(committed, dead)["error"]
    assert run_row(committed, alive)["status"] == "running"


def test_a_run_is_executed_once_even_if_its_job_is_delivered_twice(committed):
    make_need(committed)
    make_offer(committed)
    committed.commit()
    run_id = start_run(committed)
    assert runs.execute(run_id) is True
    assert runs.execute(run_id) is False
    assert committed.scalar(sa.text("SELECT count(*) FROM proposals")) == 1


def test_two_concurrent_runs_never_double_book_an_offer(committed):
    needs = [make_need(committed, positions=2) for _ in range(6)]
    offers = [make_offer(committed, capacity=2) for _ in range(4)]
    committed.commit()
    run_ids = [start_run(committed) for _ in range(2)]
    errors: list[BaseException] = []

    def execute(run_id: int) -> None:
        try:
            runs.execute(run_id)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=execute, args=(r,)) for r in run_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []

    per_offer = dict(committed.execute(sa.text(
        "SELECT offer_id, count(*) FROM proposals WHERE status = 'proposed' GROUP BY offer_id")).all())
    assert per_offer and all(count <= 2 for count in per_offer.values())
    assert sum(per_offer.values()) == 8  # 4 offers x capacity 2 across 12 positions
    live_runs = committed.scalars(sa.text("SELECT DISTINCT run_id FROM proposals WHERE status = 'proposed'")).all()
    assert len(live_runs) == 1  # the later run superseded the earlier one's proposals
    assert {run_row(committed, r)["status"] for r in run_ids} == {"succeeded"}
    assert len(needs) == 6 and len(offers) == 4


def test_unfilled_positions_are_explained(committed):
    make_need(committed, languages={"fra": 5}, title="Corrections adviser needing French")
    make_offer(committed)  # English only
    committed.commit()
    run_id = start_run(committed)
    runs.execute(run_id)
    reasons = committed.scalar(sa.text("SELECT reasons FROM run_gaps WHERE run_id = :r"), {"r": run_id})
    assert reasons[0]["code"] == "language"
    assert "French" in reasons[0]["message"]


def test_a_policy_constraint_shapes_the_result_and_the_run_reports_its_gap(committed):
    kenya = make_organization(committed, country_iso3="KEN")
    norway = make_organization(committed, country_iso3="NOR")
    for _ in range(4):
        make_need(committed)
    for _ in range(2):
        make_offer(committed, provider_org_id=kenya.id, nationality_iso3="KEN")
        make_offer(committed, provider_org_id=norway.id, nationality_iso3="NOR")
    committed.commit()
    # At most half of the filled positions may go to any one provider.
    run_id = start_run(committed, constraints={"max_provider_share": 0.5})
    runs.execute(run_id)
    per_provider = committed.execute(sa.text(
        "SELECT f.provider_org_id, count(*) FROM proposals p JOIN offers f ON f.id = p.offer_id "
        "WHERE p.run_id = :r GROUP BY 1"), {"r": run_id}).all()
    assert sorted(count for _, count in per_provider) == [2, 2]
    run = run_row(committed, run_id)
    assert run["solver"] == "scipy/milp" and run["optimality_gap"] == pytest.approx(0.0, abs=1e-6)

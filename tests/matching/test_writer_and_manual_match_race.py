"""A match run writing its proposals while officers match the same needs and offers by hand, and
what a request that still loses a deadlock answers.

The run's writer (matching/writer.py, called as the pipeline calls it) and each officer's manual
match (proposals.service.create_manual_proposal) commit through connections of their own, so these
tests use the runs database (`committed`, `runs_engine`).
"""

from __future__ import annotations

import random
import threading
import time

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.auth.service import issue_token
from capmatch.errors import CapmatchError
from capmatch.matching import writer
from capmatch.proposals import service
from tests.factories import make_need, make_offer, make_organization, make_run, make_user

PAIRS = 6  # with the writer, 7 connections: within the runs engine's pool of 8
ROUNDS = 25
OFFICER = Actor(user_id=0, role="officer", organization_id=None)


def market(session: Session, pairs: int) -> list[tuple[int, int]]:
    """`pairs` needs for one expert and offers of one place, paired up, committed."""
    mission = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False)
    agency = make_organization(session, country_iso3="KEN")
    needs = [make_need(session, requester_org_id=mission.id, positions=1) for _ in range(pairs)]
    offers = [make_offer(session, provider_org_id=agency.id, capacity=1) for _ in range(pairs)]
    session.commit()
    return [(n.id, o.id) for n, o in zip(needs, offers)]


def write_run(runs_engine, run_id: int, pairs: list[tuple[int, int]]) -> None:
    """What the pipeline does with a run's result, in its one transaction."""
    with Session(runs_engine) as s:
        writer.supersede_open_proposals(s, run_id=run_id, need_ids=sorted({n for n, _ in pairs}))
        writer.insert_proposals(s, run_id=run_id, rows=[(n, o, 0.5, {"skills": 1.0}) for n, o in pairs])
        s.commit()


def match_by_hand(runs_engine, need_id: int, offer_id: int) -> str:
    with Session(runs_engine) as s:
        try:
            service.create_manual_proposal(s, actor=OFFICER, need_id=need_id, offer_id=offer_id,
                                           reason="The mission asked for this expert.")
            s.commit()
            return "ok"
        except CapmatchError as exc:
            s.rollback()
            return type(exc).__name__


def test_a_run_writing_its_proposals_and_officers_matching_the_same_offers_never_deadlock(
    committed, runs_engine,
):
    pairs = market(committed, PAIRS)
    run_id = make_run(committed, status="running").id
    committed.commit()
    rng = random.Random(11)
    failures: list[BaseException] = []
    outcomes: list[str] = []

    for _ in range(ROUNDS):
        barrier = threading.Barrier(PAIRS + 1)

        def guarded(work):
            def run():
                try:
                    barrier.wait()
                    work()
                except BaseException as exc:  # surfaced in the main thread below
                    failures.append(exc)
            return run

        # The run writes the pairs in its own order; each officer matches one pair by hand.
        order = rng.sample(pairs, len(pairs))
        threads = [threading.Thread(target=guarded(lambda: write_run(runs_engine, run_id, order)))]
        threads += [threading.Thread(target=guarded(lambda n=n, o=o: outcomes.append(match_by_hand(runs_engine, n, o))))
                    for n, o in pairs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a thread hung"

        # Exactly one live proposal per pair: the run's or the officer's, whoever came first.
        live = committed.execute(sa.text(
            "SELECT need_id, offer_id, count(*) FROM proposals WHERE status = 'proposed' GROUP BY 1, 2"
        )).all()
        assert failures or sorted(live) == sorted((n, o, 1) for n, o in pairs)
        committed.execute(sa.text("DELETE FROM proposals"))
        committed.commit()
        if failures:
            break

    assert not failures, f"{len(failures)} failure(s), the first: {failures[0]!r}"
    assert set(outcomes) <= {"ok", "Conflict"}


def wait_until_a_backend_waits_for_a_lock(session: Session, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = session.scalar(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))
        session.rollback()
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the request never waited for the lock")


def test_a_request_that_loses_a_deadlock_answers_409_saying_to_retry_and_writes_nothing(
    committed, runs_engine, application,
):
    [(need_id, offer_id)] = market(committed, 1)
    officer = make_user(committed, role="officer")
    headers = {"Authorization": f"Bearer {issue_token(committed, user_id=officer.id)}"}
    committed.commit()
    answers = {}
    # No session override: the request runs in its own transaction on the runs database.
    with TestClient(application, raise_server_exceptions=False) as api, runs_engine.connect() as rival:
        # The rival takes the need, the request (offer, then need) waits for it; then the rival asks
        # for the offer and closes the cycle. The request waited first, so its deadlock check runs
        # first and PostgreSQL ends the request's transaction; the rival's own check is put off.
        rival.execute(sa.text("SET deadlock_timeout = '10s'"))
        rival.execute(sa.text("SELECT id FROM needs WHERE id = :id FOR UPDATE"), {"id": need_id})
        request = threading.Thread(target=lambda: answers.update(response=api.post(
            "/api/v1/proposals", headers=headers,
            json={"need_id": need_id, "offer_id": offer_id, "reason": "The mission asked for this expert."})))
        request.start()
        wait_until_a_backend_waits_for_a_lock(committed)
        rival.execute(sa.text("SELECT id FROM offers WHERE id = :id FOR UPDATE"), {"id": offer_id})
        rival.rollback()
        request.join(timeout=30)

    response = answers["response"]
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "conflict" and "try again" in error["message"]
    assert committed.scalar(sa.text("SELECT count(*) FROM proposals")) == 0

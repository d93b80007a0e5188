"""Write a run's result in one transaction: supersede stale proposals, insert the new ones and the gaps.

Rows go in through COPY into temporary tables and then one INSERT ... SELECT each, so a run over
the whole synthetic marketplace writes its tens of thousands of proposals in about a second.

Locks follow the one order of proposals/ledger.py (proposals, then offers, then needs, each by
ascending id), as every workflow step and an officer's manual match do: the proposals it
supersedes, then FOR KEY SHARE on the offers and needs it proposes, and only then the insert. The
insert's foreign-key checks would take those same KEY SHARE locks row by row, after the new rows
were in the unique index; an officer matching one of the pairs by hand, holding the offer and
the need FOR UPDATE and waiting on that index entry, then deadlocked with the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import LIVE_PROPOSAL_STATUSES


def _copy(session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    cursor = session.connection().connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def supersede_open_proposals(session: Session, *, run_id: int, need_ids: Sequence[int]) -> int:
    """Replace what earlier runs proposed (and nobody approved yet) for the needs this run covers.

    An officer's own proposals (no run) stay: the snapshot counted them as kept."""
    result = session.execute(
        sa.text(
            """
            WITH locked AS (
                SELECT id FROM proposals WHERE status = 'proposed' AND run_id IS NOT NULL AND need_id = ANY(:need_ids)
                ORDER BY id FOR UPDATE
            ), s AS (
                UPDATE proposals p SET status = 'superseded', updated_at = now(),
                       reason = 'Replaced by match run ' || CAST(:run_id AS text)
                FROM locked WHERE p.id = locked.id AND p.status = 'proposed'
                RETURNING p.id
            )
            INSERT INTO audit_events (entity_type, entity_id, action, from_state, to_state, reason, data)
            SELECT 'proposal', s.id, 'superseded', 'proposed', 'superseded',
                   'Replaced by match run ' || CAST(:run_id AS text), jsonb_build_object('run_id', :run_id)
            FROM s
            """
        ),
        {"run_id": run_id, "need_ids": list(need_ids)},
    )
    return result.rowcount


def insert_proposals(
    session: Session, *, run_id: int, rows: Iterable[tuple[int, int, float, dict[str, Any]]]
) -> int:
    """rows: (need_id, offer_id, score, breakdown). Returns how many were inserted."""
    session.execute(
        sa.text(
            "CREATE TEMP TABLE new_proposals (need_id bigint, offer_id bigint, score float8, "
            "breakdown jsonb) ON COMMIT DROP"
        )
    )
    _copy(
        session,
        "new_proposals",
        ("need_id", "offer_id", "score", "breakdown"),
        ((n, o, s, json.dumps(b)) for n, o, s, b in rows),
    )
    lock_referenced(session)
    live = ", ".join(f"'{s}'" for s in LIVE_PROPOSAL_STATUSES)
    # A pair someone approved since the snapshot is already live: keep theirs, skip ours.
    inserted = session.execute(
        sa.text(
            f"""
            INSERT INTO proposals (run_id, need_id, offer_id, score, breakdown, status)
            SELECT :run_id, need_id, offer_id, score, breakdown, 'proposed' FROM new_proposals
            ON CONFLICT (need_id, offer_id) WHERE status IN ({live}) DO NOTHING
            """
        ),
        {"run_id": run_id},
    ).rowcount
    session.execute(
        sa.text(
            """
            INSERT INTO audit_events (entity_type, entity_id, action, to_state, reason, data)
            SELECT 'proposal', id, 'proposed', 'proposed', 'Proposed by match run ' || CAST(:run_id AS text),
                   jsonb_build_object('run_id', :run_id, 'score', score)
            FROM proposals WHERE run_id = :run_id
            """
        ),
        {"run_id": run_id},
    )
    return inserted


def lock_referenced(session: Session) -> None:
    """FOR KEY SHARE (what the foreign keys need) on the offers, then the needs, of new_proposals, by id.

    KEY SHARE lets a workflow step's UPDATE of the offer's counter through but not its FOR UPDATE:
    a step under way finishes first, one that comes later waits for the run to commit, then sees
    the run's proposals (a manual match of the same pair is then refused as a duplicate).
    """
    for table, column in (("offers", "offer_id"), ("needs", "need_id")):
        session.execute(sa.text(
            f"SELECT id FROM {table} WHERE id IN (SELECT {column} FROM new_proposals) ORDER BY id FOR KEY SHARE"
        ))


def insert_gaps(session: Session, *, run_id: int, rows: Iterable[tuple[int, int, list[dict[str, Any]]]]) -> None:
    """rows: (need_id, unfilled, reasons)."""
    _copy(
        session,
        "run_gaps",
        ("run_id", "need_id", "unfilled", "reasons"),
        ((run_id, n, u, json.dumps(r)) for n, u, r in rows),
    )


def finish_run(session: Session, *, run_id: int, values: dict[str, Any]) -> None:
    values = dict(values, status="succeeded", phase="done", progress=1.0)
    if "figures" in values:
        values["figures"] = json.dumps(values["figures"])
    assignments = ", ".join(
        f"{k} = CAST(:{k} AS jsonb)" if k == "figures" else f"{k} = :{k}" for k in values
    )
    session.execute(
        sa.text(f"UPDATE match_runs SET {assignments}, finished_at = now() WHERE id = :run_id"),
        {"run_id": run_id, **values},
    )
    session.execute(
        sa.text(
            "INSERT INTO audit_events (entity_type, entity_id, action, from_state, to_state, data) "
            "VALUES ('match_run', :run_id, 'succeeded', 'running', 'succeeded', CAST(:data AS jsonb))"
        ),
        {"run_id": run_id, "data": json.dumps({k: values.get(k) for k in ("positions_filled", "total_score")})},
    )

"""A later run keeps the officer's own proposals like approved ones, and says how many it kept."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.auth.actor import Actor
from capmatch.matching import runs
from capmatch.proposals import service
from tests.factories import make_need, make_offer, make_user
from tests.matching.test_runs import live_proposals, run_row, start_run


def test_a_run_neither_supersedes_a_manual_proposal_nor_books_its_expert_again(committed):
    officer = make_user(committed, role="officer")
    need = make_need(committed, positions=2)
    other_need = make_need(committed, positions=1)
    spare = make_offer(committed, capacity=1)
    committed.commit()
    first = start_run(committed)
    runs.execute(first)  # proposes the spare expert to one of the needs
    by_hand = make_offer(committed, capacity=1, years_experience=30)  # the best candidate for either need
    manual = service.create_manual_proposal(
        committed, actor=Actor(user_id=officer.id, role="officer", organization_id=None, email=officer.email),
        need_id=need.id, offer_id=by_hand.id, reason="The mission asked for this expert.")
    committed.commit()

    second = start_run(committed)
    runs.execute(second)

    live = live_proposals(committed)
    assert (need.id, by_hand.id, "proposed") in live
    assert committed.scalar(sa.text("SELECT status FROM proposals WHERE id = :id"), {"id": manual.id}) == "proposed"
    from_second = committed.execute(sa.text("SELECT need_id, offer_id FROM proposals WHERE run_id = :r"),
                                    {"r": second}).all()
    assert by_hand.id not in {offer for _, offer in from_second}, "the expert is held by the manual proposal"
    assert len(from_second) == 1 and from_second[0][1] == spare.id
    row = run_row(committed, second)
    assert row["figures"]["manual_kept"] == 1
    assert row["positions_open"] == 2  # one left on the need, one on the other need
    # The first run's proposals were replaced; the manual one never was.
    assert committed.scalar(sa.text("SELECT count(*) FROM proposals WHERE status = 'superseded' AND run_id IS NULL")) == 0
    assert row["figures"]["superseded"] == 1

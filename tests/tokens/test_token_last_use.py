"""A token's last use is kept to the minute, written outside the transaction of the request it authenticates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from capmatch.auth.models import ApiToken
from capmatch.auth.service import actor_for_token, issue_token
from tests.factories import make_user


def last_used(session, token_id: int) -> datetime | None:
    session.rollback()  # a fresh snapshot: the write came from another connection
    return session.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.id == token_id))


def test_last_use_is_written_at_most_once_a_minute_and_never_by_the_requests_transaction(committed):
    user = make_user(committed, role="officer")
    token = issue_token(committed, user_id=user.id, name="script")
    committed.commit()
    token_id = committed.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))
    start = datetime.now(UTC).replace(microsecond=0)

    assert actor_for_token(committed, token=token, now=start).user_id == user.id
    # The caller's transaction (a GET's, say) has written nothing: no transaction id was assigned.
    assert committed.scalar(sa.text("SELECT txid_current_if_assigned()")) is None
    assert last_used(committed, token_id) == start

    actor_for_token(committed, token=token, now=start + timedelta(seconds=59))
    assert last_used(committed, token_id) == start
    actor_for_token(committed, token=token, now=start + timedelta(seconds=61))
    assert last_used(committed, token_id) == start + timedelta(seconds=61)


def test_a_token_row_locked_by_another_transaction_does_not_hold_up_the_request(committed, runs_engine):
    user = make_user(committed, role="officer")
    token = issue_token(committed, user_id=user.id)
    committed.commit()
    with runs_engine.connect() as other:
        other.execute(sa.select(ApiToken.id).where(ApiToken.user_id == user.id).with_for_update())
        # SKIP LOCKED: the use goes unrecorded this once rather than waiting for the lock.
        assert actor_for_token(committed, token=token) is not None
        other.rollback()
    assert last_used(committed, committed.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))) is None

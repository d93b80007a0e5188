"""`capmatch users token`: operators still issue tokens from the command line, with an expiry if they choose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from typer.testing import CliRunner

from capmatch.auth.cli import app
from capmatch.auth.models import ApiToken
from capmatch.auth.service import actor_for_token
from tests.factories import make_user


def test_the_command_line_issues_a_token_that_expires_after_the_days_given(committed):
    user = make_user(committed, role="officer")
    committed.commit()
    result = CliRunner().invoke(app, ["token", user.email, "--name", "nightly export", "--days", "7"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    token = committed.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "nightly export"
    assert timedelta(days=6, hours=23) < token.expires_at - datetime.now(UTC) <= timedelta(days=7)
    assert actor_for_token(committed, token=secret).user_id == user.id
    assert actor_for_token(committed, token=secret, now=datetime.now(UTC) + timedelta(days=8)) is None

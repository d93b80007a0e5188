"""The officer's console: sign in through the real form, with runs, proposals and gaps written directly.

A run executes through its own connections, outside the test's transaction, so pages that show a
run's results are given MatchRun, Proposal and RunGap rows made by tests.factories instead.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_user
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


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def post(client, path, data, *, token_from="/officer"):
    return client.post(path, data={"csrf_token": form_token(client, token_from), **data}, follow_redirects=False)

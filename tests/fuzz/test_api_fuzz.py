"""Schemathesis over /openapi.json against the real app: as the public, an officer and a provider.

Every generated request (valid ones and ones that break the schema on purpose) must get an answer
that is not a 5xx, whose status the document declares for that operation, and whose body matches the
declared schema. The requests run inside the test's transaction (the `app` fixture), so whatever
they write is rolled back. The examples are derandomized: the suite fuzzes the same requests each
run, and a failure reproduces.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from capmatch.app import create_app
from tests import factories
from tests.fuzz.tally import TALLY

# 34 operations x 3 callers: about 1,500 requests (explicit examples too), about a minute.
EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The document as the app serves it; each request then goes to the test's `app` (its session override).
# The coverage phase (every boundary value of every parameter, ~100 requests an operation) is left to
# a run by hand: `schemathesis run` against `capmatch serve`. The suite keeps the random phase, bounded.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), config=CONFIG)


def token_for(session, bearer, role: str) -> dict[str, str]:
    org = None
    if role == "provider":
        org = factories.make_organization(session, name="Fuzzing Provider Agency", may_provide=True)
    user = factories.make_user(session, role=role, organization_id=org.id if org else None)
    headers = bearer(user)
    session.commit()
    return headers


@pytest.fixture
def officer_token(session, bearer):
    return token_for(session, bearer, "officer")


@pytest.fixture
def provider_token(session, bearer):
    return token_for(session, bearer, "provider")


FUZZ = settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_every_generated_api_request_from_the_public_gets_a_declared_answer_and_never_a_5xx(case, app):
    call_and_check(case, app, {})


@schema.parametrize()
@FUZZ
def test_every_generated_api_request_from_an_officer_gets_a_declared_answer_and_never_a_5xx(case, app, officer_token):
    call_and_check(case, app, officer_token)


@schema.parametrize()
@FUZZ
def test_every_generated_api_request_from_a_provider_gets_a_declared_answer_and_never_a_5xx(case, app, provider_token):
    call_and_check(case, app, provider_token)


def call_and_check(case, app, caller: dict[str, str]) -> None:
    TALLY["api requests"] += 1
    try:
        response = case.call(app=app, headers=caller)
    except Exception:
        TALLY["api 5xx"] += 1
        raise
    TALLY[f"api answers {response.status_code // 100}xx"] += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=caller)
    except Exception:
        TALLY["api 5xx" if response.status_code >= 500 else "api answers breaking the document"] += 1
        raise

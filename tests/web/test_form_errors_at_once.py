"""A form reports every problem of a submission in one answer, each in plain words naming its field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_organization, make_user
from tests.web.conftest import form_token
from tests.web.html import parse

PAST = (date.today() - timedelta(days=3)).isoformat()
# Pydantic's own wording, which no person should read.
VALIDATOR_WORDING = ("should", "String", "Input should", "pattern", "Value error", "at least 1 characters",
                     "_", "^[")


def errors_of(response) -> dict[str, str]:
    doc = parse(response.text)
    return {el.get("id").removesuffix("-error"): el.text.strip().removeprefix("Error:").strip()
            for el in doc.find_all(class_="error") if (el.get("id") or "").endswith("-error")}


def summary_of(response) -> str:
    summary = parse(response.text).find(class_="error-summary")
    return summary.text if summary is not None else ""


# Pydantic's wording, for forms whose own words may hold an underscore ("digits, - and _").
PYDANTIC_WORDING = tuple(word for word in VALIDATOR_WORDING if word != "_")


def shown_at_once(response, expected: dict[str, str]) -> dict[str, str]:
    """Every expected message is on its field and in the error summary, which takes the focus; no
    message is a validator's. Returns every field's message, for a test to look further."""
    assert 400 <= response.status_code < 500, response.status_code
    errors = errors_of(response)
    for field, message in expected.items():
        assert errors.get(field) == message, (field, errors)
    summary = parse(response.text).find(class_="error-summary")
    assert summary is not None and summary.attrs.get("autofocus") is not None
    for message in expected.values():
        assert message in summary.text
    for message in errors.values():
        assert not any(word in message for word in PYDANTIC_WORDING), message
    return errors


def post(client, path, data):
    return client.post(path, data={"csrf_token": form_token(client, path), **data}, follow_redirects=False)


@pytest.fixture
def requester(session, login):
    org = make_organization(session, kind="un_entity", may_request=True, may_provide=False, country_iso3="SSD")
    return login(make_user(session, role="requester", organization_id=org.id))


@pytest.fixture
def provider(session, login):
    org = make_organization(session, country_iso3="KEN")
    return login(make_user(session, role="provider", organization_id=org.id))


def test_the_need_form_reports_a_past_start_date_with_every_other_problem_at_once(requester):
    response = post(requester, "/my/needs/new", {
        "title": "", "duty_country": "", "area": "", "positions": "0", "start_by": PAST,
        "duration_months": "", "modality": "", "funding": "", "action": "publish",
    })
    assert response.status_code == 400
    errors = errors_of(response)
    assert errors["f-title"] == "Enter the title."
    assert errors["f-duty_country"] == "Choose the duty station."
    assert errors["f-area"] == "Choose the capacity area."
    assert errors["f-positions"] == "The positions must be 1 or more."
    assert errors["f-start_by"] == "Start by must be today or later."
    assert errors["f-duration_months"] == "Enter the duration in months."
    assert errors["f-modality"] == "Choose the modality."
    assert errors["f-funding"] == "Choose the funding."
    assert "8 problems" in summary_of(response)


def test_the_need_form_names_an_unknown_country_and_language_with_the_schemas_errors(requester):
    response = post(requester, "/my/needs/new", {
        "title": "Adviser", "duty_country": "XYZ", "area": "corrections", "start_by": PAST,
        "duration_months": "x", "modality": "training", "funding": "requester_paid",
        "languages[0].code": "zz", "languages[0].min_level": "B2", "action": "publish",
    })
    errors = errors_of(response)
    assert set(errors) >= {"f-duty_country", "f-start_by", "f-duration_months", "f-languages-0-code"}
    assert errors["f-duration_months"] == "Enter the duration in months as a whole number."


def test_the_offer_form_reports_every_problem_in_one_answer(provider):
    response = post(provider, "/roster/new", {
        "kind": "individual_expert", "title": "", "expert_name": "", "nationality": "", "areas": [],
        "available_from": SOON, "available_until": PAST, "cost_bearer": "", "expert_email": "not an address",
        "languages[0].code": "eng", "languages[0].level": "fluent",
        "past_deployments[0].country": "KEN", "past_deployments[0].role": "", "past_deployments[0].started_on": SOON,
    })
    assert response.status_code == 400
    errors = errors_of(response)
    assert errors["f-title"] == "Enter the title."
    assert errors["f-areas"] == "Choose at least one capacity area."
    assert errors["f-cost_bearer"] == "Choose who pays."
    assert errors["f-expert_email"] == "Enter a valid e-mail address."
    assert errors["f-expert_name"].startswith("Enter the expert's name")
    assert errors["f-nationality"].startswith("Choose the expert's nationality")
    assert errors["f-available_until"] == "Available until must be today or later."
    assert errors["f-languages-0-level"].startswith("Language 1: the level must be one of")
    assert errors["f-past_deployments-0-role"] == "Past deployment 1: enter the role."


SOON = (date.today() + timedelta(days=30)).isoformat()
HOSTILE = {"title": "x", "duty_country": "12", "area": " ", "positions": "-5", "start_by": "tomorrow",
           "duration_months": "9999", "modality": "boat", "funding": "?", "urgency": "now",
           "languages[0].code": "1", "languages[0].min_level": "Z9", "gender_target": "abc", "kind": "robot",
           "nationality": "4", "years_experience": "-1", "capacity": "0", "available_from": "soon",
           "monthly_cost_usd": "1.234", "cost_bearer": "me", "expert_email": "@", "expert_name": "A",
           "languages[0].level": "Z9", "past_deployments[0].country": "1", "past_deployments[0].started_on": "x",
           "past_deployments[0].appraisal": "9"}


@pytest.mark.parametrize("path,who", [("/my/needs/new", "requester"), ("/roster/new", "provider")])
def test_no_message_repeats_a_validators_wording(path, who, request):
    client = request.getfixturevalue(who)
    response = post(client, path, HOSTILE)
    assert response.status_code == 400
    messages = list(errors_of(response).values())
    assert len(messages) >= 8
    for message in messages:
        assert not any(word in message for word in VALIDATOR_WORDING), message

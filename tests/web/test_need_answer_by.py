"""A need's optional answer-by date: the date by which providers should offer experts. It goes in and out
through the form, the API and the exports; it is today or later and no later than the start-by date, and
the form says so with its other problems. Matching does not read it."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capmatch.needs.models import Need
from tests.api.support import error_fields
from tests.factories import make_need, make_organization, make_user
from tests.web.conftest import form_token
from tests.web.html import parse

TODAY = date.today()
START = TODAY + timedelta(days=90)
ANSWER = TODAY + timedelta(days=45)
FORM = {"title": "Corrections adviser", "duty_country": "SSD", "area": "corrections", "positions": "1",
        "start_by": START.isoformat(), "duration_months": "12", "modality": "deployed_expert",
        "funding": "requester_paid", "urgency": "normal", "action": "publish"}


@pytest.fixture
def mission(session):
    return make_organization(session, name="UN Mission in South Sudan", acronym="UNMISS", kind="un_entity",
                             country_iso3="SSD", may_request=True, may_provide=False)


@pytest.fixture
def requester(session, mission):
    return make_user(session, role="requester", organization_id=mission.id)


def post(client, path, data):
    return client.post(path, data={"csrf_token": form_token(client, path), **data}, follow_redirects=False)


def error_of(response, field: str) -> str:
    element = parse(response.text).by_id(f"f-{field}-error")
    return element.text.removeprefix("Error:").strip() if element is not None else ""


def test_the_form_posts_an_answer_by_date_shows_it_back_and_clears_it(client, login, session, requester):
    login(requester)
    assert post(client, "/my/needs/new", {**FORM, "answer_by": ANSWER.isoformat()}).status_code == 303
    need = session.scalars(sa.select(Need).where(Need.title == "Corrections adviser")).one()
    assert need.answer_by == ANSWER
    edit = parse(client.get(f"/my/needs/{need.id}/edit").text)
    assert edit.by_id("f-answer_by").attrs["value"] == ANSWER.isoformat()
    assert edit.by_id("f-answer_by-hint").text == ("The date by which providers should offer experts; leave empty "
                                                   "to take offers until the start date")
    detail = parse(client.get(f"/needs/{need.id}").text).by_id("answer-by")
    assert detail.find("time").attrs["datetime"] == ANSWER.isoformat()
    response = post(client, f"/my/needs/{need.id}/edit", {**FORM, "answer_by": "", "action": "save"})
    assert response.status_code == 303, error_of(response, "")
    session.refresh(need)
    assert need.answer_by is None
    assert "until the start date" in parse(client.get(f"/needs/{need.id}").text).by_id("answer-by").text


@pytest.mark.parametrize("answer_by, message", [
    (TODAY - timedelta(days=1), "Answer by must be today or later, or left empty."),
    (START + timedelta(days=1), "Answer by must be on or before the start-by date: providers offer experts "
                                "before they start."),
])
def test_the_form_refuses_an_answer_by_date_in_the_past_or_after_the_start_with_its_other_problems(
        client, login, requester, answer_by, message):
    login(requester)
    response = post(client, "/my/needs/new", {**FORM, "title": "", "answer_by": answer_by.isoformat()})
    assert response.status_code == 400
    assert error_of(response, "answer_by") == message
    assert error_of(response, "title") == "Enter the title."
    summary = parse(response.text).find(class_="error-summary")
    assert "2 problems" in summary.text and message in summary.text
    # The date given is read back beside its input, in the interface's own format.
    doc = parse(response.text)
    assert doc.by_id("f-answer_by").attrs["value"] == answer_by.isoformat()
    assert doc.by_id("f-answer_by-reading").text == f"{answer_by.day} {answer_by:%b %Y}"


def test_the_api_takes_answers_and_clears_an_answer_by_date(client, bearer, session, requester):
    headers = bearer(requester)
    body = {"duty_country": "SSD", "title": "Prison reform adviser", "area": "corrections",
            "start_by": START.isoformat(), "answer_by": ANSWER.isoformat(), "duration_months": 6,
            "modality": "deployed_expert", "funding": "requester_paid"}
    created = client.post("/api/v1/needs", json=body, headers=headers)
    assert created.status_code == 201, created.text
    need_id = created.json()["id"]
    assert created.json()["answer_by"] == ANSWER.isoformat()
    assert client.get(f"/api/v1/needs/{need_id}").json()["answer_by"] == ANSWER.isoformat()
    cleared = client.patch(f"/api/v1/needs/{need_id}", json={"answer_by": None}, headers=headers)
    assert cleared.status_code == 200 and cleared.json()["answer_by"] is None


def test_the_api_refuses_an_answer_by_date_after_the_start_and_a_start_before_it(client, bearer, session, mission,
                                                                               requester):
    need = make_need(session, requester_org_id=mission.id, start_by=START, answer_by=ANSWER)
    headers = bearer(requester)
    session.commit()
    late = client.patch(f"/api/v1/needs/{need.id}", json={"answer_by": (START + timedelta(days=2)).isoformat()},
                        headers=headers)
    assert late.status_code == 422 and error_fields(late) == ["answer_by"]
    early_start = client.patch(f"/api/v1/needs/{need.id}", json={"start_by": (ANSWER - timedelta(days=1)).isoformat()},
                               headers=headers)
    assert early_start.status_code == 422 and error_fields(early_start) == ["start_by"]
    assert "answer-by date" in early_start.json()["error"]["message"]
    session.refresh(need)
    assert (need.start_by, need.answer_by) == (START, ANSWER)


def test_the_needs_export_holds_the_answer_by_date_as_iso(client, session, mission):
    make_need(session, requester_org_id=mission.id, title="Exported adviser", start_by=START, answer_by=ANSWER)
    make_need(session, requester_org_id=mission.id, title="Exported without", start_by=START)
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(client.get("/api/v1/exports/needs.csv").text))}
    assert rows["Exported adviser"]["answer_by"] == ANSWER.isoformat()
    assert rows["Exported without"]["answer_by"] == ""
    items = {r["title"]: r for r in client.get("/api/v1/exports/needs.json").json()}
    assert items["Exported adviser"]["answer_by"] == ANSWER.isoformat()


def test_a_copy_keeps_an_answer_by_date_still_to_come(client, login, session, mission, requester):
    need = make_need(session, requester_org_id=mission.id, start_by=START, answer_by=ANSWER)
    login(requester)
    response = client.post(f"/my/needs/{need.id}/duplicate", data={"csrf_token": form_token(client, "/my/needs")},
                           follow_redirects=False)
    assert response.status_code == 303
    copy = session.scalars(sa.select(Need).where(Need.id != need.id, Need.requester_org_id == mission.id)).one()
    assert (copy.status, copy.answer_by) == ("draft", ANSWER)

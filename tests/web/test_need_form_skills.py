"""Skills on the need form: chosen from the area's list (no JavaScript needed), checked against the area, read by name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from capmatch.needs.models import Need
from capmatch.taxonomy.models import Skill
from capmatch.taxonomy.service import clear_choices_cache
from tests.factories import make_need, make_user
from tests.web.html import parse
from tests.web.test_requester_pages import count_needs, need_form, post


def test_the_need_form_offers_skills_grouped_by_area_with_their_names(login, client, session):
    login(make_user(session, role="requester"))
    doc = parse(client.get("/my/needs/new").text)
    select = doc.find("select", name="skills")
    assert "multiple" in select.attrs and doc.find("label", for_=select.get("id")).text == "Skills"
    groups = {g.get("label"): [(o.get("value"), o.text) for o in g.find_all("option")]
              for g in select.find_all("optgroup")}
    assert ("prison_management", "Prison management") in groups["Corrections"]
    assert ("integrated_border_management", "Integrated border management") in groups["Border management"]


def test_a_skill_of_another_area_is_refused_on_the_skills_field_and_nothing_is_written(login, client, session):
    login(make_user(session, role="requester"))
    before = count_needs(session)
    response = post(client, "/my/needs/new", need_form(skills=["prison_management", "customs"]))
    assert response.status_code == 400
    doc = parse(response.text)
    error = doc.by_id("f-skills-error").text
    assert "customs (Customs) is a skill of Border management, not of Corrections." in error
    chosen = [o.get("value") for o in doc.find("select", name="skills").find_all("option", selected=True)]
    assert "prison_management" in chosen and count_needs(session) == before


def test_the_skills_chosen_are_stored_as_codes_and_shown_by_name(login, client, session):
    user = make_user(session, role="requester")
    login(user)
    response = post(client, "/my/needs/new", need_form(skills=["prison_security", "prison_management"]))
    assert response.status_code == 303
    need = session.scalar(sa.select(Need).where(Need.requester_org_id == user.organization_id))
    assert need.skills == ["prison_security", "prison_management"]
    detail = parse(client.get(f"/needs/{need.id}").text)
    shown = next(dt.parent.find("dd").text for dt in detail.find_all("dt") if dt.text == "Skills")
    assert shown == "Prison security, Prison management"
    edit = parse(client.get(f"/my/needs/{need.id}/edit").text)
    assert {o.get("value") for o in edit.find("select", name="skills").find_all("option", selected=True)} \
        == {"prison_security", "prison_management"}


@pytest.fixture
def fresh_choices():
    """The forms' cached skill lists read again after this test changes the vocabulary, and forgotten after it."""
    clear_choices_cache()
    yield clear_choices_cache
    clear_choices_cache()


def test_a_need_holding_a_retired_skill_keeps_it_when_edited(login, client, session, fresh_choices):
    user = make_user(session, role="requester")
    need = make_need(session, requester_org_id=user.organization_id, skills=["prison_management", "prison_security"])
    session.get(Skill, "prison_security").retired_at = datetime.now(UTC)
    fresh_choices()
    login(user)
    edit = parse(client.get(f"/my/needs/{need.id}/edit").text)
    kept = edit.find("optgroup", label="Kept from before")
    assert [(o.get("value"), "selected" in o.attrs) for o in kept.find_all("option")] == [("prison_security", True)]
    response = post(client, f"/my/needs/{need.id}/edit", need_form(skills=["prison_management", "prison_security"],
                                                                   action="save"))
    assert response.status_code == 303
    session.refresh(need)
    assert need.skills == ["prison_management", "prison_security"]

"""The administrator's skills pages: the vocabulary with its use, adding, renaming, retiring and restoring a skill."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.taxonomy.models import Skill, SkillArea
from capmatch.taxonomy.service import clear_choices_cache
from tests.factories import make_need, make_user
from tests.web.html import csrf_of, parse


@pytest.fixture(autouse=True)
def fresh_choices():
    """These tests change the vocabulary: the forms' cached lists must not keep what they did."""
    clear_choices_cache()
    yield
    clear_choices_cache()


@pytest.fixture
def admin_client(client, login, session):
    login(make_user(session, role="admin"))
    return client


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_of(parse(client.get("/admin").text)), **data},
                       follow_redirects=False)


def test_the_skills_page_lists_each_areas_skills_by_name_with_their_use(admin_client, session):
    make_need(session, skills=["prison_management"])
    doc = parse(admin_client.get("/admin/taxonomies/skills").text)
    corrections = doc.find("section", aria_labelledby="area-corrections")
    row = next(tr for tr in corrections.find_all("tr") if tr.find("code") and tr.find("code").text == "prison_management")
    assert row.find("th").text == "Prison management" and row.find("td", data_label="Needs").text == "1"
    assert parse(admin_client.get("/admin/taxonomies").text).find("a", href="http://testserver/admin/taxonomies/skills")


def test_an_administrator_adds_a_skill_that_the_forms_and_the_api_take_at_once(admin_client, session):
    response = post(admin_client, "/admin/taxonomies/skills/new", code="prison_census", name="Prison census",
                    name_fr="Recensement pénitentiaire", areas=["corrections", "criminal_justice"])
    assert response.status_code == 303 and response.headers["location"] == "/admin/taxonomies/skills"
    assert session.get(Skill, "prison_census").name_fr == "Recensement pénitentiaire"
    areas = session.execute(sa.select(SkillArea.area_code).where(SkillArea.skill_code == "prison_census")).scalars()
    assert sorted(areas) == ["corrections", "criminal_justice"]
    listed = admin_client.get("/api/v1/skills", params={"area": "criminal_justice"}).json()["items"]
    assert "prison_census" in [s["code"] for s in listed]
    form = parse(admin_client.get("/admin/taxonomies/skills/new").text)  # any page with the reference choices
    assert form.find("input", value="corrections") is not None
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "skill")).one()
    assert (event.action, event.data["code"]) == ("create", "prison_census")


@pytest.mark.parametrize(("data", "field", "status"), [
    ({"code": "Prison Census", "name": "Prison census", "areas": ["corrections"]}, "code", 400),
    ({"code": "prison_management", "name": "Prisons", "areas": ["corrections"]}, "code", 400),
    ({"code": "prison_census", "name": "Prison management", "areas": ["corrections"]}, "name", 400),
    ({"code": "prison_census", "name": "Prison census"}, "areas", 400),
    ({"code": "prison_census", "name": "Prison census", "areas": ["astrology\x00"]}, "areas", 400),
])
def test_a_bad_new_skill_is_shown_again_with_its_error_and_nothing_is_written(admin_client, session, data, field,
                                                                              status):
    before = session.scalar(sa.select(sa.func.count()).select_from(Skill))
    response = post(admin_client, "/admin/taxonomies/skills/new", **{"name_fr": "", **data})
    assert response.status_code == status
    assert parse(response.text).by_id(f"f-{field}-error") is not None
    assert session.scalar(sa.select(sa.func.count()).select_from(Skill)) == before


def test_renaming_a_skill_changes_its_name_everywhere_and_keeps_its_code(admin_client, session):
    need = make_need(session, skills=["prison_management"])
    response = post(admin_client, "/admin/taxonomies/skills/prison_management/edit", name="Prison administration",
                    name_fr="Administration pénitentiaire")
    assert response.status_code == 303
    shown = parse(admin_client.get(f"/needs/{need.id}").text)
    assert next(dt.parent.find("dd").text for dt in shown.find_all("dt") if dt.text == "Skills") == \
        "Prison administration"
    session.refresh(need)
    assert need.skills == ["prison_management"]


def test_a_retired_skill_leaves_the_lists_and_comes_back_when_restored(admin_client, session):
    assert post(admin_client, "/admin/taxonomies/skills/customs/retire").status_code == 303
    assert session.get(Skill, "customs").retired_at is not None
    again = post(admin_client, "/admin/taxonomies/skills/customs/retire")
    assert again.status_code == 409 and "already retired" in parse(again.text).find("div", class_="error-summary").text
    codes = [s["code"] for s in admin_client.get("/api/v1/skills", params={"area": "border_management"}).json()["items"]]
    assert "customs" not in codes
    assert post(admin_client, "/admin/taxonomies/skills/customs/restore").status_code == 303
    assert session.get(Skill, "customs").retired_at is None


@pytest.mark.parametrize("role", ["officer", "provider", "requester"])
def test_the_skills_pages_refuse_everyone_but_an_administrator(client, login, session, role):
    login(make_user(session, role=role))
    assert client.get("/admin/taxonomies/skills").status_code == 403
    assert post(client, "/admin/taxonomies/skills/customs/retire").status_code == 403
    assert session.get(Skill, "customs").retired_at is None

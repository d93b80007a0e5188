"""The rules the solver uses, set on the need form and through the API, shown to providers."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.needs.models import Need, NeedEligibleGrouping
from capmatch.organizations.models import Membership
from tests.factories import make_organization, make_user
from tests.web.html import parse
from tests.web.test_requester_pages import need_form, post


def groupings_of(session, need_id):
    return list(session.scalars(sa.select(NeedEligibleGrouping.organization_id)
                                .where(NeedEligibleGrouping.need_id == need_id)
                                .order_by(NeedEligibleGrouping.organization_id)))


def grouping(session, name="African Union", members=("SOM", "KEN", "NGA")):
    org = make_organization(session, name=name, kind="regional_organization", country_iso3=None, may_request=True)
    for iso3 in members:
        session.add(Membership(organization_id=org.id, country_iso3=iso3))
    session.flush()
    return org


def test_the_need_form_sets_eligibility_and_the_gender_target_and_the_api_reads_them(login, client, session,
                                                                                     bearer):
    au = grouping(session)
    user = make_user(session, role="requester")
    login(user)
    response = post(client, "/my/needs/new", need_form(
        eligible_members_of=str(au.id), allowed_provider_kinds=["member_state_agency", "regional_organization"],
        exclude_duty_nationals="on", gender_target="40"))
    assert response.status_code == 303, response.text
    need = session.scalar(sa.select(Need).where(Need.requester_org_id == user.organization_id))
    assert groupings_of(session, need.id) == [au.id] and need.exclude_duty_nationals
    assert need.allowed_provider_kinds == ["member_state_agency", "regional_organization"]

    body = client.get(f"/api/v1/needs/{need.id}", headers=bearer(user)).json()
    assert (body["eligible_members_of"], body["exclude_duty_nationals"], body["gender_target"]) == ([au.id], True, 0.4)
    assert body["allowed_provider_kinds"] == ["member_state_agency", "regional_organization"]

    form = parse(client.get(f"/my/needs/{need.id}/edit").text)
    assert form.find("option", value=str(au.id)).get("selected") is not None
    assert form.find("input", name="exclude_duty_nationals").get("checked") is not None
    assert form.find("input", name="gender_target").get("value") == "40"


def test_the_public_need_page_tells_providers_who_may_answer(client, session, bearer):
    au = grouping(session)
    user = make_user(session, role="requester")
    created = client.post("/api/v1/needs", headers=bearer(user), json={
        "duty_country": "SOM", "title": "Police adviser", "area": "police", "start_by": "2027-06-01",
        "duration_months": 6, "modality": "deployed_expert", "funding": "requester_paid",
        "eligible_members_of": [au.id], "allowed_provider_kinds": ["member_state_agency"],
        "exclude_duty_nationals": True, "gender_target": 0.5,
    })
    assert created.status_code == 201, created.text
    session.commit()
    client.cookies.clear()
    doc = parse(client.get(f"/needs/{created.json()['id']}").text)
    assert doc.by_id("eligibility").find("dd").text == \
        "Only experts who are nationals of a member country of African Union"
    assert doc.by_id("provider-kinds").find("dd").text == "Member state agency"
    assert doc.by_id("duty-nationals").find("dd").text == "Not eligible"
    assert doc.by_id("gender-target").find("dd").text.startswith("50% women")


def test_clearing_the_grouping_on_the_form_opens_the_need_to_every_nationality(login, client, session):
    au = grouping(session)
    user = make_user(session, role="requester")
    login(user)
    post(client, "/my/needs/new", need_form(eligible_members_of=str(au.id)))
    need = session.scalar(sa.select(Need).where(Need.requester_org_id == user.organization_id))
    response = post(client, f"/my/needs/{need.id}/edit", need_form(eligible_members_of="", action="save"))
    assert response.status_code == 303, response.text
    session.expire_all()
    assert groupings_of(session, need.id) == []
    doc = parse(client.get(f"/needs/{need.id}").text)
    assert doc.by_id("eligibility").find("dd").text == "Experts of any nationality"


def test_a_grouping_without_members_is_refused_on_its_field(login, client, session):
    empty = make_organization(session, kind="regional_organization", country_iso3=None, may_request=True)
    login(make_user(session, role="requester"))
    response = post(client, "/my/needs/new", need_form(eligible_members_of=str(empty.id)))
    assert response.status_code == 400
    assert "has no member countries" in parse(response.text).by_id("f-eligible_members_of-error").text
    response = post(client, "/my/needs/new", need_form(eligible_members_of="not a number"))
    assert response.status_code == 400
    assert parse(response.text).by_id("f-eligible_members_of-error") is not None


def test_the_form_takes_several_groupings_and_names_each_on_the_public_page(login, client, session):
    au = grouping(session)
    ecowas = grouping(session, name="ECOWAS", members=("NGA", "GHA"))
    user = make_user(session, role="requester")
    login(user)
    response = post(client, "/my/needs/new", need_form(eligible_members_of=[str(au.id), str(ecowas.id)]))
    assert response.status_code == 303, response.text
    need = session.scalar(sa.select(Need).where(Need.requester_org_id == user.organization_id))
    assert groupings_of(session, need.id) == sorted([au.id, ecowas.id])
    form = parse(client.get(f"/my/needs/{need.id}/edit").text)
    assert all(form.find("option", value=str(org.id)).get("selected") is not None for org in (au, ecowas))
    assert parse(client.get(f"/needs/{need.id}").text).by_id("eligibility").find("dd").text == \
        "Only experts who are nationals of a member country of " + " or ".join(
            org.name for org in sorted((au, ecowas), key=lambda o: o.id))
    response = post(client, f"/my/needs/{need.id}/edit", need_form(eligible_members_of=[str(ecowas.id)], action="save"))
    assert response.status_code == 303, response.text
    session.expire_all()
    assert groupings_of(session, need.id) == [ecowas.id]


def test_a_memberless_grouping_among_several_is_named_in_the_error(login, client, session):
    au = grouping(session)
    empty = make_organization(session, name="Empty League", kind="regional_organization", country_iso3=None,
                              may_request=True)
    login(make_user(session, role="requester"))
    response = post(client, "/my/needs/new", need_form(eligible_members_of=[str(au.id), str(empty.id)]))
    assert response.status_code == 400
    error = parse(response.text).by_id("f-eligible_members_of-error").text
    assert "Empty League has no member countries" in error and "African Union" not in error

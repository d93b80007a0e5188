"""No code appears where a label belongs: for every enumeration a page shows, its label is shown.

Each page is rendered with a record in each value of the vocabulary; the label must be in the
visible text (attribute values aside) and the raw code must not. Needs, offers, organizations and
accounts here; match runs and proposals in test_labels_shown_matching.py.
"""

from __future__ import annotations

import pytest

from capmatch.applications.models import Application
from capmatch.enums import (
    AGREEMENT_FORMS, COST_BEARERS, FUNDING, GENDERS, MODALITIES, NEED_STATUSES, OFFER_KINDS, OFFER_STATUSES,
    ORGANIZATION_KINDS, ROLES, URGENCIES,
)
from capmatch.web.labels import label
from tests.factories import make_need, make_offer, make_organization, make_user
from tests.web.words import assert_column_in_words, assert_word_shown, cell, chosen, page, visible


@pytest.fixture
def officer(session, login):
    return login(make_user(session, role="officer"))


@pytest.fixture
def admin(session, login):
    return login(make_user(session, role="admin"))


NEED_CASES = ([("modality", v) for v in MODALITIES] + [("funding", v) for v in FUNDING]
              + [("urgency", v) for v in URGENCIES] + [("status", v) for v in NEED_STATUSES])


@pytest.mark.parametrize("column,code", NEED_CASES)
def test_a_needs_page_shows_the_word_for_each_of_its_vocabularies(column, code, session, officer):
    need = make_need(session, **{column: code})
    session.commit()
    assert_word_shown(visible(officer.get(f"/needs/{need.id}")), code)


def test_the_needs_list_shows_each_urgency_in_words(session, client):
    needs = {code: make_need(session, urgency=code) for code in URGENCIES}
    session.commit()
    doc = page(client.get("/needs"))
    assert_column_in_words(doc, "Urgency", {code: f"/needs/{need.id}" for code, need in needs.items()})
    assert [o.text for o in doc.by_id("f-urgency").find_all("option")][1:] == [label(u) for u in URGENCIES]


def test_a_requesters_needs_show_each_status_in_words(session, login):
    requester = make_user(session, role="requester")
    needs = {code: make_need(session, status=code, requester_org_id=requester.organization_id)
             for code in NEED_STATUSES}
    doc = page(login(requester).get("/my/needs"))
    assert_column_in_words(doc, "Status", {code: f"/needs/{need.id}" for code, need in needs.items()})


# Gender is on the provider's form (below): the offer's page does not show it.
OFFER_CASES = ([("kind", v) for v in OFFER_KINDS]
               + [("cost_bearer", v) for v in COST_BEARERS] + [("status", v) for v in OFFER_STATUSES if v != "withdrawn"])


@pytest.mark.parametrize("column,code", OFFER_CASES)
def test_an_offers_page_shows_the_word_for_each_of_its_vocabularies(column, code, session, officer):
    offer = make_offer(session, **{column: code})
    session.commit()
    assert_word_shown(visible(officer.get(f"/offers/{offer.id}")), code)


def test_a_roster_shows_each_offer_status_and_kind_in_words(session, login):
    provider = make_user(session, role="provider")
    org = provider.organization_id
    by_status = {code: make_offer(session, status=code, provider_org_id=org) for code in OFFER_STATUSES}
    by_kind = {code: make_offer(session, kind=code, provider_org_id=org) for code in OFFER_KINDS}
    doc = page(login(provider).get("/roster"))
    assert_column_in_words(doc, "Kind", {code: f"/roster/{offer.id}/edit" for code, offer in by_kind.items()})
    rows = {row.find("th").text: row for row in doc.find_all("tr") if row.find("td", data_label="Status")}
    tabs = doc.find("nav", class_="tabs").text
    for code, offer in by_status.items():
        assert_word_shown(cell(rows[offer.title], "Status"), code)
        assert_word_shown(tabs, code)


@pytest.mark.parametrize("code", GENDERS)
def test_an_offers_form_shows_its_experts_gender_in_words(code, session, login):
    provider = make_user(session, role="provider")
    offer = make_offer(session, gender=code, provider_org_id=provider.organization_id)
    doc = page(login(provider).get(f"/roster/{offer.id}/edit"))
    assert chosen(doc, "f-gender") == label(code)


def test_the_organizations_list_shows_every_kind_in_words(session, admin):
    for kind in ORGANIZATION_KINDS:
        make_organization(session, kind=kind)
    session.commit()
    text = visible(admin.get("/admin/organizations"))
    for kind in ORGANIZATION_KINDS:
        assert_word_shown(text, kind)


@pytest.mark.parametrize("kind,form", list(zip(ORGANIZATION_KINDS, AGREEMENT_FORMS * 2, strict=False)))
def test_an_organizations_form_shows_its_kind_and_agreement_form_in_words(kind, form, session, admin):
    org = make_organization(session, kind=kind, agreement_form=form)
    session.commit()
    doc = page(admin.get(f"/admin/organizations/{org.id}/edit"))
    assert (chosen(doc, "f-kind"), chosen(doc, "f-agreement_form")) == (label(kind), label(form))


@pytest.mark.parametrize("kind,form", list(zip(ORGANIZATION_KINDS, AGREEMENT_FORMS * 2, strict=False)))
def test_an_application_to_join_shows_its_kind_and_agreement_form_in_words(kind, form, session, admin):
    application = Application(name="Peace Institute", kind=kind, agreement_form=form, may_provide=True,
                              country_iso3=None if kind == "intergovernmental_organization" else "GHA",
                              focal_name="Ama Mensah", focal_email="ama@institute.example")
    session.add(application)
    session.commit()
    text = visible(admin.get(f"/admin/applications/{application.id}"))
    assert_word_shown(text, kind)
    assert_word_shown(text, form)


def test_the_users_list_shows_every_role_in_words(session, admin):
    users = {role: make_user(session, role=role) for role in ROLES}
    session.commit()
    doc = page(admin.get("/admin/users"))
    rows = {row.find("th").text: row for row in doc.find_all("tr") if row.find("td", data_label="Role")}
    for role, user in users.items():
        assert_word_shown(cell(rows[user.email], "Role"), role)
    assert [o.text for o in doc.by_id("f-role").find_all("option")][1:] == [label(r) for r in ROLES]

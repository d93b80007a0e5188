"""Pages refuse what PostgreSQL cannot hold as the API does: inline on a form's field, else a 4xx page."""

from __future__ import annotations

from capmatch.offers.models import Offer
from tests.factories import make_offer, make_organization, make_user
from tests.web.html import csrf_of, parse
from tests.web.test_requester_pages import count_needs, need_form, post


def test_a_nul_in_a_need_forms_title_is_an_inline_error_and_nothing_is_saved(login, client, session):
    login(make_user(session, role="requester"))
    response = post(client, "/my/needs/new", need_form(title="Prison\x00 adviser"))
    assert response.status_code == 400
    error = parse(response.text).by_id("f-title-error")
    assert error is not None and "cannot be stored (U+0000)" in error.text
    assert count_needs(session) == 0


def test_a_nul_in_a_field_no_schema_reads_is_a_422_naming_it_and_nothing_is_written(login, client, session):
    provider_org = make_organization(session, name="Kenya Prisons Service")
    offer = make_offer(session, provider_org_id=provider_org.id)
    login(make_user(session, role="provider", organization_id=provider_org.id))
    token = csrf_of(parse(client.get("/roster").text))
    response = client.post(f"/roster/{offer.id}/withdraw", data={"csrf_token": token, "reason": "gone\x00"})
    assert response.status_code == 422
    assert "'reason'" in parse(response.text).text
    session.expire_all()
    assert session.get(Offer, offer.id).status == "available"


def test_a_nul_in_a_pages_query_string_is_a_422_naming_the_parameter(client):
    response = client.get("/needs?q=a%00b")
    assert response.status_code == 422
    assert "'q'" in parse(response.text).text


def test_a_page_address_with_an_id_no_column_can_hold_is_a_404(client):
    for path in ("/needs/2147483648", "/offers/99999999999999999999", "/needs/0"):
        assert client.get(path).status_code == 404, path


def test_the_pages_and_the_api_bound_the_page_number_alike(client):
    assert client.get("/needs?page=100001").status_code == 422
    assert client.get("/api/v1/needs?page=100001").status_code == 422
    assert client.get("/needs?page=100000").status_code == 200
    assert client.get("/api/v1/needs?page=100000").status_code == 200


def test_a_language_row_named_with_another_digit_system_is_no_row_and_no_500(login, client, session):
    login(make_user(session, role="requester"))
    form = need_form()
    form.update({"languages[²].code": "fra", "languages[99999999999].code": "eng"})
    response = post(client, "/my/needs/new", form)
    assert response.status_code == 303, response.text
    assert count_needs(session) == 1

"""Beside every date input, the date it holds as the interface writes dates ("2 Mar 2027"): written by the
server when a form is shown (again), kept up to date by static/js/dates.js as a date is picked. Every form
with a date uses the one macro (_macros/forms.html, date_input), so none is without its reading."""

from __future__ import annotations

import re
from datetime import date

from capmatch.config import REPO_ROOT
from tests.factories import make_need, make_offer, make_organization, make_user, put_proposal
from tests.web.html import parse

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"


def readings(doc) -> dict[str, str]:
    """Each date input's name, to the text of its reading; every input has one, tied to it."""
    found = {}
    for field in doc.find_all("input", type="date"):
        output = doc.by_id(field.attrs["data-reading"])
        assert output is not None and output.tag == "output", field.attrs
        assert output.attrs["for"] == field.attrs["id"] and output.attrs["data-months"] == MONTHS
        found[field.attrs["name"]] = output.text
    return found


def test_the_need_offer_and_report_forms_read_out_their_dates(client, login, session):
    mission = make_organization(session, kind="un_entity", may_request=True, may_provide=False, country_iso3="SSD")
    agency = make_organization(session)
    login(make_user(session, role="requester", organization_id=mission.id))
    assert readings(parse(client.get("/my/needs/new").text)) == {"start_by": "", "answer_by": ""}
    need = make_need(session, requester_org_id=mission.id, start_by=date(2027, 3, 2), answer_by=date(2027, 1, 15))
    assert readings(parse(client.get(f"/my/needs/{need.id}/edit").text)) == {
        "start_by": "2 Mar 2027", "answer_by": "15 Jan 2027"}
    login(make_user(session, role="provider", organization_id=agency.id))
    offer_dates = readings(parse(client.get("/roster/new").text))
    assert {"available_from", "available_until", "screening_valid_until", "credentials_valid_until",
            "past_deployments[0].started_on", "past_deployments[0].ended_on"} <= set(offer_dates)
    login(make_user(session, role="officer"))
    shown = readings(parse(client.get("/reports?date_from=2027-03-02&date_to=not-a-date").text))
    assert shown == {"date_from": "2 Mar 2027", "date_to": ""}


def test_the_steps_of_a_proposal_read_out_their_dates(client, login, session):
    need, offer = make_need(session), make_offer(session, available_from=date(2026, 1, 1))
    proposal = put_proposal(session, need, offer, "agreed")
    login(make_user(session, role="provider", organization_id=offer.provider_org_id))
    doc = parse(client.get(f"/proposals/{proposal.id}").text)
    today = date.today()
    assert readings(doc) == {"arrived_on": f"{today.day} {today:%b %Y}"}
    assert doc.by_id("f-deploy-arrived_on").attrs["max"] == today.isoformat()


def test_every_date_input_is_made_by_the_date_macro_and_the_script_is_a_file():
    templates = REPO_ROOT / "templates"
    raw = [str(path.relative_to(templates)) for path in templates.rglob("*.html")
           if path != templates / "_macros" / "forms.html"
           and re.search(r"""type=["']date["']""", path.read_text(encoding="utf-8"))]
    assert raw == []
    assert (REPO_ROOT / "static" / "js" / "dates.js").is_file()


def test_every_page_loads_the_date_script_and_no_inline_script(client):
    doc = parse(client.get("/needs").text)
    scripts = [s.attrs.get("src", "") for s in doc.find_all("script")]
    assert any(src.endswith("/static/js/dates.js") for src in scripts)
    assert all(scripts)  # the Content-Security-Policy refuses an inline script

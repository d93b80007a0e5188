"""A requester's pages: posting and editing needs through the form, duplicates, cancelling, proposals."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.needs.models import Need, NeedLanguage
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_user
from tests.web.conftest import form_token
from tests.web.html import parse

SOON = (date.today() + timedelta(days=45)).isoformat()


def need_form(**overrides):
    data = {
        "title": "Prison management adviser", "duty_country": "SSD", "area": "corrections",
        "terms_of_reference": "Advise the national prison service.\n\nTrain 40 officers.",
        "skills": ["prison_management", "prisoner_classification"], "languages[0].code": "eng",
        "languages[0].min_level": "B2", "languages[1].code": "", "languages[1].min_level": "",
        "positions": "2", "start_by": SOON, "duration_months": "6", "min_years_experience": "5",
        "modality": "deployed_expert", "funding": "requester_paid", "urgency": "high", "gender_target": "50",
        "action": "publish",
    }
    data.update(overrides)
    return data


def post(client, path, data):
    data = {"csrf_token": form_token(client, "/my/needs"), **data}
    return client.post(path, data=data, follow_redirects=False)


def requester(session, **kw):
    return make_user(session, role="requester", **kw)


def count_needs(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Need))


def test_the_need_form_labels_every_field(login, client, session):
    login(requester(session))
    doc = parse(client.get("/my/needs/new").text)
    for name in ("title", "duty_country", "area", "start_by", "duration_months", "modality", "funding",
                 "languages[0].code", "languages[0].min_level", "gender_target"):
        control = doc.find(name=name)
        assert control is not None, name
        assert doc.find("label", for_=control.get("id")) is not None, name
    assert doc.find("input", name="csrf_token") is not None


def test_a_requester_publishes_a_need_and_sees_it_in_the_list(login, client, session):
    user = requester(session)
    login(user)
    response = post(client, "/my/needs/new", need_form())
    assert response.status_code == 303 and response.headers["location"] == "/my/needs"
    need = session.scalar(sa.select(Need).where(Need.title == "Prison management adviser"))
    assert need.status == "open" and need.requester_org_id == user.organization_id
    assert need.positions == 2 and need.urgency == "high" and str(need.gender_target) == "0.50"
    assert need.skills == ["prison_management", "prisoner_classification"]
    assert [(x.language_code, x.min_level) for x in session.scalars(
        sa.select(NeedLanguage).where(NeedLanguage.need_id == need.id))] == [("eng", 4)]

    page = parse(client.get("/my/needs").text)
    assert "is published" in page.find(class_="flash").text
    row = page.find("a", href=f"/needs/{need.id}")
    assert row is not None and row.text == "Prison management adviser"


def test_save_as_draft_keeps_it_off_the_marketplace(login, client, session):
    login(requester(session))
    post(client, "/my/needs/new", need_form(action="draft", title="Draft adviser post"))
    assert session.scalar(sa.select(Need.status).where(Need.title == "Draft adviser post")) == "draft"
    client.cookies.clear()
    assert "Draft adviser post" not in client.get("/needs").text


def test_an_invalid_need_form_comes_back_with_400_inline_errors_and_writes_nothing(login, client, session):
    login(requester(session))
    response = post(client, "/my/needs/new", need_form(
        title="", duration_months="a while", positions="0", start_by="", gender_target="150",
        **{"languages[0].min_level": ""},
    ))
    assert response.status_code == 400
    assert count_needs(session) == 0
    doc = parse(response.text)
    expected = {
        "title": "Enter the title.",
        "duration_months": "Enter the duration in months as a whole number.",
        "positions": "The positions must be 1 or more.",
        "start_by": "Enter the start-by date.",
        "gender_target": "Enter a percentage from 0 to 100, or leave it empty.",
        "languages[0].min_level": "Language 1: choose the minimum level.",
    }
    for name, message in expected.items():
        control = doc.find(name=name)
        error = doc.by_id(control.get("id") + "-error")
        assert error is not None and message in error.text, name
        assert error.get("id") in control.get("aria-describedby", "").split(), name
        assert control.get("aria-invalid") == "true"
    summary = doc.find(class_="error-summary")
    assert summary.get("role") == "alert" and "6 problems" in summary.text
    # What was typed is kept.
    assert doc.find(name="duration_months").get("value") == "a while"
    assert doc.find("textarea", name="terms_of_reference").text.startswith("Advise the national")


def test_a_service_error_lands_on_its_field(login, client, session):
    login(requester(session))
    past = (date.today() - timedelta(days=3)).isoformat()
    response = post(client, "/my/needs/new", need_form(start_by=past))
    assert response.status_code == 400
    doc = parse(response.text)
    assert "Start by must be today or later." in doc.by_id("f-start_by-error").text
    assert count_needs(session) == 0


def test_editing_a_need_prefills_the_form_and_saves_the_change(login, client, session):
    user = requester(session)
    need = make_need(session, requester_org_id=user.organization_id, status="draft", title="Corrections adviser")
    login(user)
    doc = parse(client.get(f"/my/needs/{need.id}/edit").text)
    assert doc.find(name="title").get("value") == "Corrections adviser"
    assert doc.find("select", name="area").find("option", selected=True).get("value") == "corrections"
    assert doc.find("button", value="publish").text == "Save and publish"

    response = post(client, f"/my/needs/{need.id}/edit",
                    need_form(title="Senior corrections adviser", action="publish"))
    assert response.status_code == 303
    session.refresh(need)
    assert need.title == "Senior corrections adviser" and need.status == "open"


def test_an_invalid_edit_changes_nothing(login, client, session):
    user = requester(session)
    need = make_need(session, requester_org_id=user.organization_id, title="Corrections adviser")
    login(user)
    response = post(client, f"/my/needs/{need.id}/edit",
                    need_form(title="Changed title", **{"languages[0].code": "xx"}))
    assert response.status_code == 400
    assert "No language has the ISO 639 code" in parse(response.text).by_id("f-languages-0-code-error").text
    session.expire_all()
    assert session.get(Need, need.id).title == "Corrections adviser"


def need_held_by(session, user, positions, *statuses):
    """A need of the user's organization for `positions` experts, with a proposal holding a place in each status."""
    need = make_need(session, requester_org_id=user.organization_id, positions=positions, title="Corrections adviser",
                     status="filled" if len(statuses) >= positions else "partially_filled")
    session.add_all(Proposal(need_id=need.id, offer_id=make_offer(session, reserved=1, status="reserved").id,
                             score=0.8, breakdown={}, status=status) for status in statuses)
    session.flush()
    return need


def test_positions_below_what_proposals_hold_come_back_on_the_positions_field(login, client, session):
    user = requester(session)
    need = need_held_by(session, user, 3, "approved", "agreed")
    login(user)
    form = parse(client.get(f"/my/needs/{need.id}/edit").text)
    assert "2 taken by approved, agreed, deployed or completed proposals" in form.by_id("f-positions-hint").text
    response = post(client, f"/my/needs/{need.id}/edit", need_form(positions="1", title="Renamed"))
    assert response.status_code == 400
    doc = parse(response.text)
    assert "cannot go below 2" in doc.by_id("f-positions-error").text
    assert doc.find("input", name="positions").get("value") == "1"  # what was typed is kept
    assert "2 taken by" in doc.by_id("f-positions-hint").text
    session.expire_all()
    need = session.get(Need, need.id)
    assert (need.positions, need.status, need.title) == (3, "partially_filled", "Corrections adviser")


def test_raising_the_positions_of_a_filled_need_shows_it_partially_filled(login, client, session):
    user = requester(session)
    need = need_held_by(session, user, 1, "confirmed")
    login(user)
    response = post(client, f"/my/needs/{need.id}/edit", need_form(positions="2", title="Corrections adviser"))
    assert response.status_code == 303
    row = next(tr for tr in parse(client.get("/my/needs").text).find("tbody").find_all("tr")
               if tr.find("a", href=f"/needs/{need.id}"))
    assert (row.find("td", data_label="Status").text, row.find("td", data_label="Positions").text) == (
        "partially filled", "2")


def test_a_requester_cannot_see_or_edit_another_organizations_draft(login, client, session):
    mine, theirs = requester(session), requester(session)
    draft = make_need(session, requester_org_id=theirs.organization_id, status="draft", title="Their secret draft")
    open_need = make_need(session, requester_org_id=theirs.organization_id, title="Their open need")
    login(mine)
    assert client.get(f"/needs/{draft.id}").status_code == 404
    assert client.get(f"/my/needs/{draft.id}/edit").status_code == 404
    assert client.get(f"/my/needs/{open_need.id}/edit").status_code == 404
    for path in (f"/my/needs/{draft.id}/edit", f"/my/needs/{open_need.id}/edit"):
        assert post(client, path, need_form(title="Hijacked")).status_code == 404
    assert post(client, f"/my/needs/{open_need.id}/cancel", {"reason": "mine now"}).status_code == 404
    assert post(client, f"/my/needs/{draft.id}/duplicate", {}).status_code == 404
    assert "Their secret draft" not in client.get("/my/needs").text
    session.expire_all()
    assert session.get(Need, open_need.id).status == "open"
    assert session.scalar(sa.select(sa.func.count()).select_from(Need).where(Need.title == "Hijacked")) == 0


def test_duplicating_makes_a_draft_copy(login, client, session):
    user = requester(session)
    need = make_need(session, requester_org_id=user.organization_id, title="Electoral adviser",
                     start_by=date.today() - timedelta(days=10), languages={"fra": 5})
    login(user)
    response = post(client, f"/my/needs/{need.id}/duplicate", {})
    assert response.status_code == 303
    copy = session.scalar(sa.select(Need).where(Need.title == "Electoral adviser", Need.id != need.id))
    assert copy.status == "draft" and copy.start_by == date.today()
    assert response.headers["location"] == f"/my/needs/{copy.id}/edit"
    assert session.scalar(sa.select(NeedLanguage.language_code).where(NeedLanguage.need_id == copy.id)) == "fra"


def test_cancelling_records_the_reason(login, client, session):
    user = requester(session)
    need = make_need(session, requester_org_id=user.organization_id)
    login(user)
    assert "Cancel this need" in client.get(f"/my/needs/{need.id}/edit").text
    response = post(client, f"/my/needs/{need.id}/cancel", {"reason": "The mandate changed."})
    assert response.status_code == 303
    session.refresh(need)
    assert need.status == "cancelled"
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_id == need.id,
                                                       AuditEvent.action == "cancel"))
    assert event.reason == "The mandate changed."
    again = post(client, f"/my/needs/{need.id}/cancel", {"reason": "twice"})
    assert again.status_code == 409
    assert "cannot be cancelled" in parse(again.text).find("p", class_="error").text


def test_cancelling_withdraws_the_needs_proposals_and_says_so(login, client, session):
    user = requester(session)
    need, offer, proposal = _approved_proposal(session, user, status="agreed")
    login(user)
    response = post(client, f"/my/needs/{need.id}/cancel", {"reason": "Funding cut."})
    assert response.status_code == 303
    assert "is withdrawn" in parse(client.get(response.headers["location"]).text).find("p", class_="flash").text
    session.refresh(proposal)
    session.refresh(offer)
    assert (proposal.status, proposal.reason, offer.reserved) == ("withdrawn", "Need cancelled: Funding cut.", 0)


def test_a_need_with_an_expert_deployed_is_not_cancelled_and_the_form_says_why(login, client, session):
    user = requester(session)
    need, offer, proposal = _approved_proposal(session, user, status="deployed")
    login(user)
    response = post(client, f"/my/needs/{need.id}/cancel", {"reason": "Mandate ended."})
    assert response.status_code == 409
    doc = parse(response.text)
    assert "An expert is deployed for this need" in doc.by_id("f-cancel-reason-error").text
    assert doc.by_id("f-cancel-reason").attrs.get("aria-invalid") == "true"
    assert doc.by_id("f-cancel-reason").text == "Mandate ended."  # what was typed is kept
    session.refresh(need)
    session.refresh(proposal)
    assert (need.status, proposal.status) == ("open", "deployed")


def test_a_cancel_reason_longer_than_the_box_allows_is_refused_on_the_box(login, client, session):
    user = requester(session)
    need = make_need(session, requester_org_id=user.organization_id)
    login(user)
    response = post(client, f"/my/needs/{need.id}/cancel", {"reason": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000" in parse(response.text).by_id("f-cancel-reason-error").text
    session.refresh(need)
    assert need.status == "open"


def _approved_proposal(session, user, **kw):
    need = make_need(session, requester_org_id=user.organization_id, title="Police adviser")
    offer = make_offer(session, title="Community policing expert", expert_name="Amina Diallo", reserved=1)
    proposal = Proposal(need_id=need.id, offer_id=offer.id, score=0.8, status=kw.get("status", "approved"),
                        breakdown={"skills": 0.9, "language": 1.0})
    session.add(proposal)
    session.flush()
    return need, offer, proposal


def test_the_inbox_lists_approved_proposals_anonymized_and_accepting_works(login, client, session):
    user = requester(session)
    _, _, proposal = _approved_proposal(session, user)
    login(user)
    doc = parse(client.get("/my/proposals").text)
    card = doc.find("article", aria_labelledby=f"proposal-{proposal.id}-title")
    assert "Community policing expert" in card.text and "Police adviser" in card.text
    assert "Amina Diallo" not in doc.text
    response = post(client, f"/my/proposals/{proposal.id}/accept", {})
    assert response.status_code == 303
    session.refresh(proposal)
    assert proposal.status == "accepted"


def test_declining_needs_a_reason_shown_on_that_proposal(login, client, session):
    user = requester(session)
    _, _, proposal = _approved_proposal(session, user)
    login(user)
    response = post(client, f"/my/proposals/{proposal.id}/decline", {"reason": ""})
    assert response.status_code == 400
    doc = parse(response.text)
    assert "Give a reason" in doc.by_id(f"f-reason-{proposal.id}-error").text
    session.refresh(proposal)
    assert proposal.status == "approved"
    assert post(client, f"/my/proposals/{proposal.id}/decline", {"reason": "Too junior."}).status_code == 303
    session.refresh(proposal)
    assert proposal.status == "declined" and proposal.reason == "Too junior."


def test_deployed_experts_show_the_full_profile_once_released(login, client, session):
    user = requester(session)
    _approved_proposal(session, user, status="deployed")
    login(user)
    doc = parse(client.get("/my/deployed").text)
    assert "Amina Diallo" in doc.text and "Police adviser" in doc.text

"""The provider's pages, read as a person would: roster, offer form, withdrawal, import, export, inbox."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from capmatch.offers.models import Offer, OfferLanguage
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer
from tests.web.html import csrf_of, parse

DATA = Path(__file__).parent / "data"
SOON = (date.today() + timedelta(days=30)).isoformat()


def token(client, path="/roster") -> str:
    return csrf_of(parse(client.get(path).text))


def offer_form(**overrides):
    data = {
        "kind": "individual_expert", "title": "Senior police adviser", "summary": "Community policing.",
        "expert_name": "Grace Atieno", "expert_email": "grace@example.org", "nationality": "KEN", "gender": "female",
        "years_experience": "15", "areas": ["police", "security_sector_reform"], "skills": ["community_policing", "police_training"],
        "languages[0].code": "eng", "languages[0].level": "C2", "languages[1].code": "", "languages[1].level": "",
        "capacity": "1", "available_from": SOON, "available_until": "", "lead_time_days": "30",
        "max_duration_months": "12", "monthly_cost_usd": "5000", "cost_bearer": "provider",
        "screening_valid_until": "", "credentials_valid_until": "",
    }
    data.update(overrides)
    return data


def offers_of(session, org_id):
    return session.scalars(sa.select(Offer).where(Offer.provider_org_id == org_id).order_by(Offer.id)).all()


def form_fields(form) -> dict[str, list[str]]:
    """The hidden fields a browser would post back, as httpx takes repeated names."""
    fields: dict[str, list[str]] = {}
    for field in form.find_all("input"):
        fields.setdefault(field.get("name"), []).append(field.get("value"))
    return fields


def upload(client, name: str, content: bytes, path="/roster/import"):
    return client.post(path, data={"csrf_token": token(client, "/roster/import")},
                       files={"file": (name, content, "text/csv")}, follow_redirects=False)


# --- access --------------------------------------------------------------------------------------


def test_a_provider_cannot_open_export_or_import_into_another_providers_roster(client, login, session, world):
    offer = make_offer(session, provider_org_id=world.norway.id, expert_name="Ola Nordmann")
    login(world.provider)
    other = f"?org={world.norway.id}"
    assert client.get("/roster" + other).status_code == 403
    assert client.get("/roster/export.csv" + other).status_code == 403
    assert client.get("/roster/export.xlsx" + other).status_code == 403
    assert client.get(f"/roster/{offer.id}/edit").status_code == 403
    response = upload(client, "good_roster.csv", (DATA / "good_roster.csv").read_bytes(), "/roster/import" + other)
    assert response.status_code == 403
    assert offers_of(session, world.norway.id) == [offer]


# --- the roster and the offer form ---------------------------------------------------------------


def test_the_roster_lists_my_offers_with_their_status_and_expert(client, login, session, world):
    make_offer(session, provider_org_id=world.kenya.id, title="Prison management adviser", expert_name="Amina O.")
    make_offer(session, provider_org_id=world.kenya.id, title="Old offer", status="withdrawn")
    make_offer(session, provider_org_id=world.norway.id, title="Someone else's offer")
    login(world.provider)
    doc = parse(client.get("/roster").text)
    assert "Kenya Prisons Service" in doc.find("h1").text
    rows = [tr.text for tr in doc.find("table").find("tbody").find_all("tr")]
    assert len(rows) == 2
    assert any("Prison management adviser" in r and "Amina O." in r and "available" in r for r in rows)
    assert any("Old offer" in r and "withdrawn" in r for r in rows)
    assert "Someone else" not in doc.text
    withdrawn = parse(client.get("/roster?status=withdrawn").text)
    assert [tr.text for tr in withdrawn.find("tbody").find_all("tr")][0].startswith("Old offer")


def test_the_offer_form_labels_every_field(client, login, world):
    login(world.provider)
    doc = parse(client.get("/roster/new").text)
    for name in ("kind", "title", "expert_name", "nationality", "available_from", "cost_bearer",
                 "languages[0].code", "languages[0].level", "monthly_cost_usd"):
        control = doc.find(name=name)
        assert control is not None and doc.find("label", for_=control.get("id")) is not None, name
    areas = doc.find_all("input", name="areas")
    assert len(areas) > 20 and all(doc.find("label", for_=a.get("id")) for a in areas)


def test_a_provider_adds_an_offer_through_the_form(client, login, session, world):
    login(world.provider)
    response = client.post("/roster/new", data={"csrf_token": token(client), **offer_form()}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/roster")
    [offer] = offers_of(session, world.kenya.id)
    assert (offer.title, offer.expert_name, offer.skills) == ("Senior police adviser", "Grace Atieno",
                                                             ["community_policing", "police_training"])
    assert session.scalars(sa.select(OfferLanguage.language_code).where(OfferLanguage.offer_id == offer.id)).all() == ["eng"]
    assert "is on your roster" in parse(client.get("/roster").text).find("p", class_="flash").text


def test_an_invalid_offer_comes_back_with_inline_errors_and_nothing_is_saved(client, login, session, world):
    login(world.provider)
    data = offer_form(title="", expert_name="", areas=[], **{"languages[0].level": "fluent"})
    response = client.post("/roster/new", data={"csrf_token": token(client), **data})
    assert response.status_code == 400
    doc = parse(response.text)
    assert doc.find("div", class_="error-summary") is not None
    assert "Enter the title." in doc.by_id("f-title-error").text
    assert doc.by_id("f-areas-error") is not None
    assert doc.by_id("f-languages-0-level-error") is not None
    assert doc.find("input", name="expert_email").get("value") == "grace@example.org"  # what was typed is kept
    assert offers_of(session, world.kenya.id) == []


def test_a_service_error_lands_on_its_field(client, login, session, world):
    login(world.provider)
    response = client.post("/roster/new", data={"csrf_token": token(client), **offer_form(expert_name="")})
    assert response.status_code == 400
    assert parse(response.text).by_id("f-expert_name-error").text.endswith("Enter the expert's name: an individual expert needs it.")


def test_a_provider_edits_an_offer_and_past_deployments_are_kept(client, login, session, world):
    offer = make_offer(session, provider_org_id=world.kenya.id, title="Corrections adviser", areas=["corrections"])
    login(world.provider)
    doc = parse(client.get(f"/roster/{offer.id}/edit").text)
    assert doc.find("input", name="title").get("value") == "Corrections adviser"
    assert doc.find("input", name="areas", value="corrections").get("checked") is not None
    data = offer_form(title="Senior corrections adviser", areas=["corrections", "criminal_justice"],
                      skills=["prison_management"])
    response = client.post(f"/roster/{offer.id}/edit", data={"csrf_token": token(client), **data},
                           follow_redirects=False)
    assert response.status_code == 303
    session.refresh(offer)
    assert (offer.title, offer.expert_name) == ("Senior corrections adviser", "Grace Atieno")


def held_offer(session, world, *, capacity, held):
    """An offer of the roster whose `held` places are taken by approved proposals, one need each."""
    offer = make_offer(session, provider_org_id=world.kenya.id, capacity=capacity, reserved=held,
                       status="reserved" if held == capacity else "available")
    for _ in range(held):
        need = make_need(session, requester_org_id=world.mission.id)
        session.add(Proposal(need_id=need.id, offer_id=offer.id, score=0.8, breakdown={}, status="approved"))
    session.flush()
    return offer


def test_capacity_below_what_proposals_hold_comes_back_on_the_capacity_field(client, login, session, world):
    offer = held_offer(session, world, capacity=3, held=2)
    login(world.provider)
    form = parse(client.get(f"/roster/{offer.id}/edit").text)
    assert "2 held by approved proposals" in form.by_id("f-capacity-hint").text
    response = client.post(f"/roster/{offer.id}/edit",
                           data={"csrf_token": token(client), **offer_form(capacity="1", title="Renamed")})
    assert response.status_code == 400
    doc = parse(response.text)
    assert "cannot go below 2" in doc.by_id("f-capacity-error").text
    assert doc.find("input", name="capacity").get("value") == "1"  # what was typed is kept
    session.refresh(offer)
    assert (offer.capacity, offer.status) == (3, "available")
    assert offer.title != "Renamed"  # nothing of the change is saved


def test_lowering_capacity_to_what_is_held_shows_the_offer_reserved_and_raising_it_available(
    client, login, session, world
):
    offer = held_offer(session, world, capacity=3, held=2)
    login(world.provider)

    def save(capacity):
        """Save the capacity through the form; the offer's status and capacity as the roster lists them."""
        response = client.post(f"/roster/{offer.id}/edit", data={"csrf_token": token(client), **offer_form(
            capacity=capacity)}, follow_redirects=False)
        assert response.status_code == 303
        row = next(tr for tr in parse(client.get("/roster").text).find("tbody").find_all("tr")
                   if "Senior police adviser" in tr.text)
        return row.find("td", data_label="Status").text, row.find("td", data_label="Capacity").text

    assert save("2") == ("reserved", "2 of 2 reserved")
    assert save("4") == ("available", "2 of 4 reserved")
    session.refresh(offer)
    assert (offer.capacity, offer.status) == (4, "available")


def test_withdrawing_needs_a_reason_and_then_takes_the_offer_off(client, login, session, world):
    offer = make_offer(session, provider_org_id=world.kenya.id)
    login(world.provider)
    path = f"/roster/{offer.id}/withdraw"
    refused = client.post(path, data={"csrf_token": token(client), "reason": ""})
    assert refused.status_code == 400
    assert "Say why" in parse(refused.text).by_id("f-reason-error").text
    done = client.post(path, data={"csrf_token": token(client), "reason": "Took another post"}, follow_redirects=False)
    assert done.status_code == 303
    session.refresh(offer)
    assert offer.status == "withdrawn"
    again = client.post(path, data={"csrf_token": token(client), "reason": "again"})
    assert again.status_code == 409 and "already withdrawn" in parse(again.text).text


# --- import and export ---------------------------------------------------------------------------


def test_importing_a_bad_file_lists_every_bad_row_and_imports_nothing(client, login, session, world):
    login(world.provider)
    response = upload(client, "bad_roster.csv", (DATA / "bad_roster.csv").read_bytes())
    assert response.status_code == 400
    doc = parse(response.text)
    assert "Nothing was imported: 3 lines" in doc.find("h2", id="problems-title").text
    rows = [[td.text for td in tr.find_all("td")] for tr in doc.by_id("problems").find("tbody").find_all("tr")]
    assert [(r[0], r[1]) for r in rows] == [("3", "expert_name"), ("3", "areas"), ("4", "capacity"),
                                             ("4", "available_from"), ("5", "nationality"), ("5", "languages"),
                                             ("5", "cost_bearer")]
    assert "No capacity area has the code 'astrology'." in rows[1][2]
    assert doc.find("form", action="/roster/import/confirm") is None  # nothing to confirm
    assert offers_of(session, world.kenya.id) == []


def test_importing_a_good_file_previews_the_rows_then_confirms_them_all(client, login, session, world):
    login(world.provider)
    preview = upload(client, "good_roster.csv", (DATA / "good_roster.csv").read_bytes())
    assert preview.status_code == 200
    doc = parse(preview.text)
    assert [tr.find("th").text for tr in doc.by_id("rows").find("tbody").find_all("tr")] == [
        "Senior corrections adviser", "Electoral operations specialist", "Public finance reform team",
        "Mediation skills course",
    ]
    assert offers_of(session, world.kenya.id) == []  # a preview writes nothing
    fields = form_fields(doc.find("form", action="/roster/import/confirm"))
    response = client.post("/roster/import/confirm", data=fields, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/roster")
    assert len(offers_of(session, world.kenya.id)) == 4
    assert "4 offers imported from good_roster.csv." in parse(client.get("/roster").text).find("p", class_="flash").text


def test_a_confirmation_cannot_be_forged_or_replayed_for_another_roster(client, login, session, world):
    login(world.provider)
    doc = parse(upload(client, "good_roster.csv", (DATA / "good_roster.csv").read_bytes()).text)
    fields = form_fields(doc.find("form", action="/roster/import/confirm"))
    tampered = {**fields, "upload": [fields["upload"][0][:-3] + "AAA"]}
    response = client.post("/roster/import/confirm", data=tampered)
    assert response.status_code == 400 and "could not be verified" in parse(response.text).by_id("f-file-error").text
    # The officer who did not preview it cannot confirm the provider's upload.
    client.post("/logout", data={"csrf_token": token(client)})
    login(world.officer)
    replay = {**fields, "csrf_token": token(client, f"/roster?org={world.kenya.id}")}
    response = client.post(f"/roster/import/confirm?org={world.kenya.id}", data=replay)
    assert response.status_code == 400 and "another roster" in parse(response.text).by_id("f-file-error").text
    assert offers_of(session, world.kenya.id) == []


def test_an_unreadable_upload_is_reported_on_the_file_field(client, login, world):
    login(world.provider)
    response = upload(client, "roster.pdf", b"%PDF-1.4")
    assert response.status_code == 400
    assert parse(response.text).by_id("f-file-error").text.endswith("Upload a .csv or .xlsx file.")
    missing = client.post("/roster/import", data={"csrf_token": token(client)}, files={"file": ("", b"", "text/csv")})
    assert missing.status_code == 400 and "Choose a .csv or .xlsx file" in parse(missing.text).by_id("f-file-error").text


def test_the_export_downloads_re_import_and_the_example_file_is_offered(client, login, session, world):
    make_offer(session, provider_org_id=world.kenya.id, title="Prison adviser", available_from=date(2027, 1, 1))
    login(world.provider)
    exported = client.get("/roster/export.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["content-disposition"].startswith('attachment; filename="roster-')
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Prison adviser"]
    xlsx = client.get("/roster/export.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert upload(client, "export.xlsx", xlsx.content).status_code == 200
    example = client.get("/roster/template.csv")
    assert example.status_code == 200 and example.content.decode("utf-8-sig").startswith("kind,title,summary")


def test_the_secretariat_picks_a_provider_and_works_on_its_roster(client, login, session, world):
    login(world.officer)
    doc = parse(client.get("/roster").text)
    links = {a.text: a.get("href") for a in doc.find("main").find_all("a")}
    assert links["Kenya Prisons Service"] == f"/roster?org={world.kenya.id}"
    assert "UN Mission in South Sudan" not in links  # it does not provide
    page = parse(client.get(f"/roster?org={world.kenya.id}").text)
    assert page.find("a", href=f"/roster/new?org={world.kenya.id}") is not None
    response = client.post(f"/roster/new?org={world.kenya.id}", data={"csrf_token": token(client), **offer_form()},
                           follow_redirects=False)
    assert response.headers["location"] == f"/roster?org={world.kenya.id}"
    assert len(offers_of(session, world.kenya.id)) == 1


# --- the proposals inbox -------------------------------------------------------------------------


def approved_proposal(session, world, **need_overrides):
    offer = make_offer(session, provider_org_id=world.kenya.id, title="Corrections adviser",
                       expert_name="Amina Odhiambo", reserved=1)
    need = make_need(session, requester_org_id=world.mission.id, title="Prison reform adviser, Juba",
                     **need_overrides)
    proposal = Proposal(need_id=need.id, offer_id=offer.id, score=0.8, breakdown={}, status="approved")
    session.add(proposal)
    session.flush()
    return proposal


def test_the_inbox_lists_proposals_awaiting_my_answer(client, login, session, world):
    proposal = approved_proposal(session, world)
    login(world.provider)
    doc = parse(client.get("/provider/proposals").text)
    card = doc.by_id(f"proposal-{proposal.id}")
    assert "Prison reform adviser, Juba" in card.text
    assert card.find("abbr", title="UN Mission in South Sudan") is not None  # its acronym, the name on hover
    assert "South Sudan" in card.text and "Amina Odhiambo" in card.text
    assert card.find("button", type="submit") is not None
    assert card.find("textarea", name="reason") is not None
    assert doc.find("label", for_=f"reason-{proposal.id}") is not None
    login(world.other_provider)
    assert parse(client.get("/provider/proposals").text).by_id(f"proposal-{proposal.id}") is None


def test_the_inbox_shows_its_total_and_an_error_on_page_two_stays_on_page_two(client, login, session, world):
    proposals = [approved_proposal(session, world) for _ in range(27)]  # none has a deadline: newest first
    login(world.provider)
    first = parse(client.get("/provider/proposals").text)
    assert first.find("p", class_="count").text == "27 proposals"
    assert first.find("nav", class_="tabs").find("span", aria_current="page").text == "Awaiting your answer (27)"
    next_page = first.find("nav", class_="pagination").find("a", rel="next").attrs["href"]
    assert next_page == "/provider/proposals?view=awaiting&page=2"
    oldest = proposals[0]
    assert parse(client.get(next_page).text).by_id(f"proposal-{oldest.id}") is not None
    refused = client.post(f"/provider/proposals/{oldest.id}",
                          data={"csrf_token": token(client), "action": "decline", "reason": "", "page": "2"})
    assert refused.status_code == 400
    doc = parse(refused.text)
    assert "Give a reason" in doc.by_id(f"proposal-{oldest.id}").find("p", class_="error").text
    assert doc.find("nav", class_="pagination").find("span", aria_current="page").text == "2"
    done = client.post(f"/provider/proposals/{oldest.id}",
                       data={"csrf_token": token(client), "action": "confirm", "page": "2"}, follow_redirects=False)
    assert done.headers["location"] == "/provider/proposals?page=2"


def test_a_provider_confirms_a_release_from_the_inbox(client, login, session, world):
    proposal = approved_proposal(session, world)
    login(world.provider)
    response = client.post(f"/provider/proposals/{proposal.id}",
                           data={"csrf_token": token(client), "action": "confirm"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/provider/proposals")
    session.refresh(proposal)
    assert proposal.status == "confirmed"
    assert parse(client.get("/provider/proposals").text).by_id(f"proposal-{proposal.id}") is None


def test_declining_needs_a_reason(client, login, session, world):
    proposal = approved_proposal(session, world)
    login(world.provider)
    refused = client.post(f"/provider/proposals/{proposal.id}", data={"csrf_token": token(client), "action": "decline"})
    assert refused.status_code == 400
    assert "reason" in parse(refused.text).by_id(f"proposal-{proposal.id}-error").text
    done = client.post(f"/provider/proposals/{proposal.id}",
                       data={"csrf_token": token(client), "action": "decline", "reason": "Expert unavailable"},
                       follow_redirects=False)
    assert done.status_code == 303
    session.refresh(proposal)
    assert (proposal.status, proposal.reason) == ("declined", "Expert unavailable")


def test_a_provider_cannot_answer_another_providers_proposal(client, login, session, world):
    proposal = approved_proposal(session, world)
    login(world.other_provider)
    response = client.post(f"/provider/proposals/{proposal.id}", data={"csrf_token": token(client), "action": "confirm"})
    assert response.status_code == 403
    session.refresh(proposal)
    assert proposal.status == "approved"


def test_a_large_upload_survives_the_round_trip_through_the_confirm_page(client, login, session, world):
    import random
    import string

    from capmatch.offers.import_rows import COLUMNS

    rnd = random.Random(7)  # random text compresses poorly: the signed copy spans several form fields
    rows = [f"training,Course {i},{''.join(rnd.choices(string.ascii_letters, k=1100))},,,,,,mediation,,,1,"
            "2026-01-01,,30,1,,provider,," for i in range(1500)]
    content = ("\n".join([",".join(COLUMNS), *rows]) + "\n").encode()
    assert len(content) > 1_500_000
    login(world.provider)
    doc = parse(upload(client, "big.csv", content).text)
    fields = form_fields(doc.find("form", action="/roster/import/confirm"))
    assert len(fields["upload"]) >= 2
    response = client.post("/roster/import/confirm", data=fields, follow_redirects=False)
    assert response.status_code == 303
    assert len(offers_of(session, world.kenya.id)) == 1500
    assert "the first 200 of 1,500" in doc.by_id("rows").find("caption").text

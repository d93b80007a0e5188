"""Imports are idempotent, through the pages: a file is confirmed once per roster, and an exported roster
re-imports as updates of the offers it names (its reference column), not as duplicates."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from capmatch.offers.import_rows import write_csv
from capmatch.offers.models import RosterImport
from capmatch.offers.service import withdraw_offer
from tests.factories import make_offer
from tests.roster.test_roster_views import DATA, form_fields, offers_of, upload
from tests.web.html import parse

GOOD = (DATA / "good_roster.csv").read_bytes()


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def confirm_fields(client, name: str, content: bytes) -> dict[str, list[str]]:
    preview = upload(client, name, content)
    assert preview.status_code == 200, preview.text
    form = parse(preview.text).find("form", action="/roster/import/confirm")
    assert form is not None, "the preview offers no confirm"
    return form_fields(form)


def flash_text(client) -> str:
    return parse(client.get("/roster").text).find("p", class_="flash").text


def test_confirming_the_same_import_twice_imports_it_once_and_says_so(client, login, session, world):
    login(world.provider)
    fields = confirm_fields(client, "good_roster.csv", GOOD)
    first = client.post("/roster/import/confirm", data=fields, follow_redirects=False)
    assert first.status_code == 303
    assert "4 offers imported" in flash_text(client)
    # The double click, the resubmitted page, the replayed form: the same sealed file again.
    again = client.post("/roster/import/confirm", data=fields, follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, "/roster")
    said = flash_text(client)
    assert "already imported into this roster" in said and "Nothing was imported again" in said
    assert len(offers_of(session, world.kenya.id)) == 4
    assert session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 1


def test_the_preview_of_a_file_already_imported_says_so_and_offers_no_confirm(client, login, session, world):
    login(world.provider)
    client.post("/roster/import/confirm", data=confirm_fields(client, "good_roster.csv", GOOD))
    preview = upload(client, "same-file-another-name.csv", GOOD)
    doc = parse(preview.text)
    assert "already imported into this roster" in doc.by_id("already-imported").text
    assert doc.find("form", action="/roster/import/confirm") is None


def test_the_same_file_imports_into_another_roster(client, login, session, world):
    login(world.provider)
    client.post("/roster/import/confirm", data=confirm_fields(client, "good_roster.csv", GOOD))
    client.post("/logout", data={"csrf_token": parse(client.get("/roster").text).find("input", name="csrf_token").get("value")})
    login(world.other_provider)
    client.post("/roster/import/confirm", data=confirm_fields(client, "good_roster.csv", GOOD))
    assert len(offers_of(session, world.norway.id)) == 4


def test_re_importing_an_edited_export_updates_the_offers_it_names_and_adds_the_new_rows(client, login, session,
                                                                                       world):
    login(world.provider)
    client.post("/roster/import/confirm", data=confirm_fields(client, "good_roster.csv", GOOD))
    before = offers_of(session, world.kenya.id)
    exported = client.get("/roster/export.csv")
    rows = rows_of(exported.content)
    assert [int(r["reference"]) for r in rows] == [o.id for o in before]
    rows[0]["title"] = "Chief corrections adviser"
    rows[1]["capacity"] = "3"
    rows.append({**rows[2], "reference": "", "title": "A second public finance team"})

    preview = upload(client, "roster-edited.csv", write_csv(rows))
    doc = parse(preview.text)
    assert (doc.by_id("new-count").text, doc.by_id("update-count").text) == ("1 new", "4")
    offer_cells = [tr.find_all("td")[1].text for tr in doc.by_id("rows").find("tbody").find_all("tr")]
    assert offer_cells == [f"updates {o.id}" for o in before] + ["new"]

    fields = form_fields(doc.find("form", action="/roster/import/confirm"))
    assert client.post("/roster/import/confirm", data=fields, follow_redirects=False).status_code == 303
    assert "1 offer imported from roster-edited.csv. 4 updated." in flash_text(client)
    session.expire_all()
    after = offers_of(session, world.kenya.id)
    assert len(after) == 5 and [o.id for o in after[:4]] == [o.id for o in before]
    assert (after[0].title, after[1].capacity, after[4].title) == (
        "Chief corrections adviser", 3, "A second public finance team")


def test_an_unchanged_export_re_imports_without_a_duplicate(client, login, session, world):
    login(world.provider)
    client.post("/roster/import/confirm", data=confirm_fields(client, "good_roster.csv", GOOD))
    exported = client.get("/roster/export.csv").content
    client.post("/roster/import/confirm", data=confirm_fields(client, "roster-export.csv", exported))
    assert len(offers_of(session, world.kenya.id)) == 4


def test_a_reference_that_names_no_offer_of_the_roster_is_a_row_error_and_nothing_is_written(client, login, session,
                                                                                            world):
    login(world.provider)
    client.post("/roster/import/confirm", data=confirm_fields(client, "good_roster.csv", GOOD))
    offers = offers_of(session, world.kenya.id)
    withdraw_offer(session, actor=world.actor("provider"), offer_id=offers[3].id, reason="course cancelled")
    other = make_offer(session, provider_org_id=world.norway.id).id
    session.commit()
    rows = rows_of(client.get("/roster/export.csv").content)
    rows[0]["reference"] = str(other)  # another roster's offer
    rows[1]["reference"] = str(offers[3].id)  # withdrawn
    rows[2]["reference"] = "abc"
    rows.append({**rows[2], "reference": "2147483648"})
    rows.append({**rows[0], "reference": str(offers[0].id)})
    rows.append({**rows[0], "reference": str(offers[0].id), "title": "Twice the same"})
    response = upload(client, "bad-references.csv", write_csv(rows))
    assert response.status_code == 400
    problems = [(int(tr.find_all("td")[0].text), tr.find_all("td")[2].text)
                for tr in parse(response.text).by_id("problems").find("tbody").find_all("tr")]
    lines = [line for line, _message in problems]
    assert lines == sorted(lines) and len(lines) == 5
    assert [message for _line, message in problems[:4]] == [
        f"No offer of this roster has the reference {other}: empty the cell to add the row as a new offer.",
        f"Offer {offers[3].id} was withdrawn and cannot be changed: empty the cell to add the row as a new offer.",
        "A reference is the number an export gives an offer (got 'abc').",
        "A reference is the number an export gives an offer (got '2147483648').",
    ]
    # The last row names the offer the row before it already updates (whose line a multi-line summary moves).
    repeated = re.fullmatch(rf"Line (\d+) already updates offer {offers[0].id}: name it once\.", problems[4][1])
    assert repeated and lines[3] < int(repeated.group(1)) < lines[4]
    assert len(offers_of(session, world.kenya.id)) == 4


def test_two_confirms_of_one_file_at_the_same_moment_import_it_once(committed, runs_engine):
    """Two requests racing (a double click reaching two workers): the second waits on the file's key."""
    import threading

    from sqlalchemy.orm import Session

    from capmatch.offers.roster import AlreadyImported, apply_import
    from tests.factories import make_organization, make_user
    from tests.roster.conftest import actor_of

    kenya = make_organization(committed, name="Kenya Prisons Service (race)", country_iso3="KEN")
    provider = make_user(committed, role="provider", organization_id=kenya.id)
    committed.commit()
    barrier, outcomes = threading.Barrier(2), []

    def confirm() -> None:
        with Session(runs_engine) as session:
            barrier.wait()
            try:
                apply_import(session, actor=actor_of(provider), provider_org_id=None, filename="good_roster.csv",
                             content=GOOD)
                session.commit()
                outcomes.append("imported")
            except AlreadyImported:
                session.rollback()
                outcomes.append("already imported")

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already imported", "imported"]
    assert len(offers_of(committed, kenya.id)) == 4

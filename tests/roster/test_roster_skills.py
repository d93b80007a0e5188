"""Skills in the roster: the offer form's grouped list, roster files mapping names and spellings to codes, and the
example file's pair with a need scoring on skills."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
import sqlalchemy as sa

from capmatch.matching.core.policy import RunPolicy
from capmatch.matching.pipeline import prepare
from capmatch.offers.export import export_roster, template_csv
from capmatch.offers.import_rows import COLUMNS, parse_roster
from capmatch.offers.models import Offer
from capmatch.offers.roster import RosterInvalid, apply_import, preview_import
from capmatch.taxonomy.models import Skill
from capmatch.taxonomy.skills import vocabulary
from tests.factories import make_need
from tests.roster.test_roster_import import csv_of, offer_count
from tests.roster.test_roster_views import offer_form, token
from tests.web.html import parse

# The row as the example file used to write it: the skill in words, where the need holds the code.
BORDER_ROW = ("individual_expert,Border management adviser,,Astrid Berg,,SWE,female,11,border_management,"
              "{skills},eng:C2;som:B2,1,2027-01-01,,30,12,,requester,,")


def border_row(skills: str) -> bytes:
    return csv_of(BORDER_ROW.format(skills=skills))


def test_a_roster_file_stores_the_code_of_a_name_or_a_close_spelling(session, world):
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                          content=border_row("integrated border management;Border Policing;migration managment"))
    [offer] = session.scalars(sa.select(Offer).where(Offer.id.in_(result.offer_ids))).all()
    assert offer.skills == ["integrated_border_management", "border_policing", "migration_management"]


def test_an_unknown_skill_is_a_row_error_naming_the_nearest_codes_and_nothing_is_imported(session, world):
    content = csv_of(BORDER_ROW.format(skills="customs"),
                     BORDER_ROW.format(skills="customs;border survelance;prison management"))
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                             content=content)
    messages = [(e.line, e.column, e.message) for e in preview.errors]
    assert [(line, column) for line, column, _m in messages] == [(3, "skills"), (3, "skills")]
    assert messages[0][2].startswith("No skill of Border management is called 'border survelance'. Nearest: ")
    assert "border_policing (Border policing)" in messages[0][2]
    assert messages[1][2] == ("prison_management (Prison management) is a skill of Corrections, "
                              "not of Border management.")
    before = offer_count(session)
    with pytest.raises(RosterInvalid):
        apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv", content=content)
    assert offer_count(session) == before


def test_the_example_file_writes_skill_codes_of_its_rows_areas(session):
    vocab = vocabulary(session)
    for row in parse_roster("template.csv", template_csv(), max_rows=10).rows:
        areas = row.cells["areas"].split(";")
        for code in row.cells["skills"].split(";"):
            assert code in vocab.of_areas(areas), code
    assert "skills" in COLUMNS


def test_the_pair_the_words_kept_apart_now_scores_on_skills(session, world):
    """The need asks for integrated_border_management; the roster said "integrated border management"."""
    need = make_need(session, requester_org_id=world.mission.id, duty_country_iso3="SOM",
                     area_code="border_management", skills=["integrated_border_management", "border_policing"],
                     start_by=date(2027, 3, 1))
    [offer_id] = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                              content=border_row("integrated border management")).offer_ids
    prepared = prepare(session, policy=RunPolicy(), scope={"need_ids": [need.id]}, today=date(2026, 12, 1))
    need_pos = int(np.flatnonzero(prepared.needs.need_id == need.id)[0])
    offer_pos = int(np.flatnonzero(prepared.offers.offer_id == offer_id)[0])
    [edge] = np.flatnonzero((prepared.candidates.need == need_pos) & (prepared.candidates.offer == offer_pos))
    assert prepared.scores.breakdown(int(edge))["skills"] == 0.5  # one of the need's two skills


def test_the_offer_form_lists_skills_by_area_and_checks_them_against_the_areas_ticked(client, login, session, world):
    login(world.provider)
    doc = parse(client.get("/roster/new").text)
    select = doc.find("select", name="skills")
    assert "multiple" in select.attrs
    police = next(g for g in select.find_all("optgroup") if g.get("label") == "Police")
    assert ("community_policing", "Community policing") in [(o.get("value"), o.text) for o in police.find_all("option")]

    before = offer_count(session)
    refused = client.post("/roster/new", data={"csrf_token": token(client),
                                               **offer_form(skills=["community_policing", "prison_management"])},
                          follow_redirects=False)
    assert refused.status_code == 400 and offer_count(session) == before
    assert "is a skill of Corrections, not of Police or Security sector reform." in \
        parse(refused.text).by_id("f-skills-error").text

    added = client.post("/roster/new", data={"csrf_token": token(client), **offer_form(
        areas=["police", "corrections"], skills=["community_policing", "prison_management"])}, follow_redirects=False)
    assert added.status_code == 303
    offer = session.scalar(sa.select(Offer).where(Offer.provider_org_id == world.kenya.id))
    assert offer.skills == ["community_policing", "prison_management"]
    shown = parse(client.get(f"/offers/{offer.id}").text)
    assert next(dt.parent.find("dd").text for dt in shown.find_all("dt") if dt.text == "Skills") == \
        "Community policing, Prison management"


def test_an_export_holding_a_skill_retired_since_re_imports_but_a_new_row_cannot_take_it(session, world):
    [offer_id] = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                              content=border_row("customs;border_policing")).offer_ids
    session.get(Skill, "customs").retired_at = datetime.now(UTC)
    session.flush()
    exported = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="csv")
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename=exported.filename,
                          content=exported.content)
    assert result.updated_ids == [offer_id] and session.get(Offer, offer_id).skills == ["customs", "border_policing"]
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                             content=border_row("customs"))
    assert [(e.column, e.message) for e in preview.errors] == [
        ("skills", "The skill customs (Customs) is retired: choose another.")]

"""Importing a roster: every row or none, every bad row reported with its line, column and message."""

from __future__ import annotations

import hashlib

import io
from pathlib import Path
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from capmatch.audit.models import AuditEvent
from capmatch.errors import Forbidden, InvalidInput
from capmatch.offers.models import Offer, OfferArea, OfferLanguage
from capmatch.offers import roster as service
from capmatch.offers.import_rows import COLUMNS
from capmatch.offers.roster import RosterInvalid, apply_import, preview_import

DATA = Path(__file__).parent / "data"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def offer_count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Offer))


def problems(preview) -> set[tuple[int, str | None]]:
    return {(e.line, e.column) for e in preview.errors}


def csv_of(*rows: str, header: str = ",".join(COLUMNS)) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD_ROW = ("individual_expert,Corrections adviser,,Amina Odhiambo,,KEN,female,20,corrections,,eng:C2,1,"
            "2026-01-01,,30,12,,provider,,")


def test_a_good_csv_imports_every_row_with_its_areas_and_languages(session, world):
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None,
                          filename="good_roster.csv", content=read("good_roster.csv"))
    assert len(result.offer_ids) == 4
    offers = session.scalars(sa.select(Offer).where(Offer.id.in_(result.offer_ids)).order_by(Offer.id)).all()
    assert [o.provider_org_id for o in offers] == [world.kenya.id] * 4
    amina, moussa, team, course = offers
    assert (amina.expert_name, amina.nationality_iso3, amina.monthly_cost_usd) == ("Amina Odhiambo", "KEN", 6500)
    assert amina.skills == ["prison_management", "corrections_training"]
    # A quoted cell spanning two lines is one summary; a lower-case country code is accepted.
    assert moussa.summary.endswith("Fluent in French and Wolof.") and moussa.nationality_iso3 == "SEN"
    assert (team.capacity, team.available_until, team.cost_bearer) == (4, date(2035, 1, 31), "third_party")
    assert (course.kind, course.years_experience, course.lead_time_days) == ("training", 0, 15)
    areas = session.execute(sa.select(OfferArea.area_code).where(OfferArea.offer_id == amina.id)).scalars().all()
    assert sorted(areas) == ["corrections", "criminal_justice"]
    levels = dict(session.execute(
        sa.select(OfferLanguage.language_code, OfferLanguage.level).where(OfferLanguage.offer_id == moussa.id)
    ).all())
    assert levels == {"fra": 6, "wol": 6, "eng": 4}
    summary = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "roster_import")).one()
    assert summary.entity_id == world.kenya.id and summary.data == {
        "filename": "good_roster.csv", "offers": 4, "updated": 0,
        "sha256": hashlib.sha256((DATA / "good_roster.csv").read_bytes()).hexdigest(),
    }


def test_a_good_xlsx_with_date_and_number_cells_imports_every_row(session, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kind", "Title", "Areas", "Languages", "Available_from", "Cost_bearer", "Capacity",
                  "Expert_name", "Nationality", "Monthly_cost_usd"])
    sheet.append(["individual_expert", "Police adviser", "police", "fra:C1", datetime(2026, 5, 1), "provider",
                  1, "Awa Traoré", "MLI", 4200.5])
    sheet.append(["expert_team", "DDR team", "ddr;mine_action", "eng:B2; ara:C1", date(2026, 6, 1), "requester",
                  3, None, None, None])
    sheet.append([None] * 10)  # an empty row in the middle is skipped, not an error
    sheet.append(["training", "Budget course", "public_financial_management", None, "2026-07-01",
                  "third_party", 2.0, None, None, 0])
    out = io.BytesIO()
    workbook.save(out)

    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=world.kenya.id,
                             filename="ROSTER.XLSX", content=out.getvalue())
    assert preview.ok and [r.line for r in preview.rows] == [2, 3, 5]
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=world.kenya.id,
                          filename="ROSTER.XLSX", content=out.getvalue())
    offers = session.scalars(sa.select(Offer).where(Offer.id.in_(result.offer_ids)).order_by(Offer.id)).all()
    assert [(o.title, o.available_from, o.capacity) for o in offers] == [
        ("Police adviser", date(2026, 5, 1), 1), ("DDR team", date(2026, 6, 1), 3),
        ("Budget course", date(2026, 7, 1), 2),
    ]
    assert offers[0].expert_name == "Awa Traoré" and float(offers[0].monthly_cost_usd) == 4200.5


def test_a_roster_with_bad_rows_imports_nothing_and_reports_every_bad_row(session, world):
    before = offer_count(session)
    with pytest.raises(RosterInvalid) as caught:
        apply_import(session, actor=world.actor("provider"), provider_org_id=None,
                     filename="bad_roster.csv", content=read("bad_roster.csv"))
    assert offer_count(session) == before
    preview = caught.value.preview
    assert caught.value.status == 422 and preview.bad_lines == 3
    assert problems(preview) == {
        (3, "expert_name"), (3, "areas"),
        (4, "capacity"), (4, "available_from"),
        (5, "nationality"), (5, "languages"), (5, "cost_bearer"),
    }
    messages = {(e.line, e.column): e.message for e in preview.errors}
    assert messages[(3, "areas")] == "No capacity area has the code 'astrology'."
    assert messages[(3, "expert_name")] == "An individual expert needs the expert's name."
    assert "'two'" in messages[(4, "capacity")]
    assert messages[(4, "available_from")] == "Write the date as YYYY-MM-DD (got '01/02/2026')."
    assert messages[(5, "nationality")] == "No country has the ISO 3166 alpha-3 code 'ZZZ'."
    assert messages[(5, "languages")].startswith("'fra:fluent': must be one of A1")
    # The two good rows are listed as good; errors come in file order.
    assert [r.line for r in preview.rows] == [2, 6]
    assert [e.line for e in preview.errors] == sorted(e.line for e in preview.errors)


def test_a_single_bad_row_among_good_ones_imports_nothing(session, world):
    bad = GOOD_ROW.replace("2026-01-01,,", "2026-01-01,2020-01-01,")
    content = csv_of(GOOD_ROW, GOOD_ROW, bad, GOOD_ROW)
    with pytest.raises(RosterInvalid) as caught:
        apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv", content=content)
    assert [(e.line, e.column, e.message) for e in caught.value.preview.errors] == [
        (4, "available_until", "The offer cannot end in the past.")
    ]
    assert offer_count(session) == 0


def test_the_preview_writes_nothing_even_when_every_row_is_good(session, world):
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None,
                             filename="good_roster.csv", content=read("good_roster.csv"))
    assert preview.ok and preview.row_count == 4 and len(preview.rows) == 4
    assert preview.organization_name == "Kenya Prisons Service"
    assert preview.rows[1].languages == "fra:C2, wol:C2, eng:B2"
    assert offer_count(session) == 0


def test_a_semicolon_separated_csv_as_french_excel_writes_it_imports(session, world):
    header = ";".join(COLUMNS)
    row = ('individual_expert;Conseiller pénitentiaire;"Vingt ans, trois missions";Awa Traoré;;MLI;female;20;'
           "corrections,criminal_justice;;fra:C2;1;2026-01-01;;30;12;;provider;;")
    content = ("\ufeff" + header + "\r\n" + row + "\r\n").encode()
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                          content=content)
    offer = session.get(Offer, result.offer_ids[0])
    assert (offer.title, offer.summary, offer.expert_name) == ("Conseiller pénitentiaire", "Vingt ans, trois missions",
                                                               "Awa Traoré")


def test_header_problems_are_reported_on_line_one(session, world):
    header = "kind,title,colour,available_from,cost_bearer,title"
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                             content=csv_of("training,Course,blue,2026-01-01,provider,Again", header=header))
    assert {(e.line, e.column) for e in preview.errors} >= {(1, "colour"), (1, "title"), (1, "areas")}
    assert "The required column 'areas' is missing." in [e.message for e in preview.errors]


def test_a_repeated_language_and_a_malformed_language_are_both_reported(session, world):
    row = GOOD_ROW.replace("eng:C2", "eng:C2;en:B1;french")
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                             content=csv_of(row))
    assert sorted(e.message for e in preview.errors) == [
        "Write each language as code:level, e.g. fra:C1 (got 'french').",
    ]
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                             content=csv_of(row.replace(";french", "")))
    assert [e.message for e in preview.errors] == ["English is listed twice."]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("roster.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
        ("roster.csv", b"", "The file is empty."),
        ("roster.csv", "kind,title\nexpert_team,Équipe\n".encode("cp1252"), "not UTF-8"),
        ("roster.xlsx", b"PK\x03\x04 not really a zip", "not a readable .xlsx"),
        ("roster.csv", ",".join(COLUMNS).encode() + b"\n", "no offers below them"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_clear_message(session, world, filename, content, message):
    with pytest.raises(InvalidInput) as caught:
        preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename=filename,
                       content=content)
    assert caught.value.field == "file" and message in caught.value.message


def test_files_over_the_size_or_row_limit_are_refused(session, world, monkeypatch):
    too_big = b"x" * (service.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(InvalidInput, match="larger than 5 MB"):
        preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                       content=too_big)
    monkeypatch.setattr(service, "MAX_ROWS", 3)
    with pytest.raises(InvalidInput, match="more than 3 rows"):
        preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv",
                       content=csv_of(*[GOOD_ROW] * 4))


def test_a_provider_cannot_import_into_another_providers_roster(session, world):
    with pytest.raises(Forbidden):
        preview_import(session, actor=world.actor("provider"), provider_org_id=world.norway.id,
                       filename="good_roster.csv", content=read("good_roster.csv"))
    with pytest.raises(Forbidden):
        apply_import(session, actor=world.actor("provider"), provider_org_id=world.norway.id,
                     filename="good_roster.csv", content=read("good_roster.csv"))
    assert offer_count(session) == 0


def test_a_requester_cannot_import_a_roster(session, world):
    with pytest.raises(Forbidden):
        apply_import(session, actor=world.actor("requester"), provider_org_id=None,
                     filename="good_roster.csv", content=read("good_roster.csv"))


def test_the_secretariat_imports_into_the_roster_it_names(session, world):
    with pytest.raises(InvalidInput) as caught:
        apply_import(session, actor=world.actor("officer"), provider_org_id=None, filename="good_roster.csv",
                     content=read("good_roster.csv"))
    assert caught.value.field == "provider_org_id"
    with pytest.raises(InvalidInput, match="does not provide expertise"):
        apply_import(session, actor=world.actor("officer"), provider_org_id=world.mission.id,
                     filename="good_roster.csv", content=read("good_roster.csv"))
    result = apply_import(session, actor=world.actor("officer"), provider_org_id=world.norway.id,
                          filename="good_roster.csv", content=read("good_roster.csv"))
    providers = set(session.scalars(sa.select(Offer.provider_org_id).where(Offer.id.in_(result.offer_ids))))
    assert providers == {world.norway.id}


def test_an_imported_offer_is_stored_exactly_as_create_offer_would_store_it(session, world):
    from dataclasses import asdict

    from capmatch.offers.queries import describe_offers
    from capmatch.offers.schemas import OfferCreate
    from capmatch.offers.service import create_offer

    actor = world.actor("provider")
    [imported_id] = apply_import(
        session, actor=actor, provider_org_id=None, filename="r.csv",
        content=csv_of("individual_expert,Corrections adviser,Prisons.,Amina Odhiambo,AMINA@example.org,ken,female,20,"
                       "Corrections;criminal_justice;corrections,Prison Management;corrections_training,sw:native;eng:c1,2,"
                       "2026-01-01,2035-01-01,10,6,6500.5,provider,2035-01-01,"),
    ).offer_ids
    created = create_offer(session, actor=actor, data=OfferCreate(
        kind="individual_expert", title="Corrections adviser", summary="Prisons.", expert_name="Amina Odhiambo",
        expert_email="AMINA@example.org", nationality="ken", gender="female", years_experience=20,
        areas=["Corrections", "criminal_justice", "corrections"], skills=["Prison Management", "corrections training"],
        languages=[{"code": "sw", "level": "native"}, {"code": "eng", "level": "c1"}], capacity=2,
        available_from="2026-01-01", available_until="2035-01-01", lead_time_days=10, max_duration_months=6,
        monthly_cost_usd="6500.5", cost_bearer="provider", screening_valid_until="2035-01-01",
    ))
    session.flush()
    imported, direct = describe_offers(session, actor=actor, offers=[session.get(Offer, imported_id), created])
    differs = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in asdict(imported).items() if k not in differs} == \
           {k: v for k, v in asdict(direct).items() if k not in differs}
    created_by = session.execute(sa.select(Offer.created_by_id, Offer.status).where(
        Offer.id.in_([imported_id, created.id]))).all()
    assert set(created_by) == {(world.provider.id, "available")}
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "offer",
                                                         AuditEvent.entity_id == imported_id)).all()
    assert [(e.action, e.to_state, e.actor_id) for e in events] == [("create", "available", world.provider.id)]

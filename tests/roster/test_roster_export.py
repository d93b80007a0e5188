"""Exporting a roster as CSV or XLSX: the import's columns, so an export re-imports unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from capmatch.errors import Forbidden
from capmatch.offers.models import Offer
from capmatch.offers.service import withdraw_offer
from capmatch.offers.import_rows import COLUMNS, parse_roster, write_csv
from capmatch.offers.export import export_roster, template_csv
from capmatch.offers.roster import apply_import, preview_import

DATA = Path(__file__).parent / "data"


def rows_of_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def kenya_roster(session, world):
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None,
                          filename="good_roster.csv", content=(DATA / "good_roster.csv").read_bytes())
    return result.offer_ids


def test_a_csv_export_has_the_import_columns_and_every_offer_not_withdrawn(session, world, kenya_roster):
    withdraw_offer(session, actor=world.actor("provider"), offer_id=kenya_roster[-1], reason="course cancelled")
    exported = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="csv")
    assert exported.filename.startswith(f"roster-{world.kenya.id}-") and exported.filename.endswith(".csv")
    assert exported.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = rows_of_csv(exported.content)
    assert tuple(rows[0]) == COLUMNS
    assert [r["title"] for r in rows] == [
        "Senior corrections adviser", "Electoral operations specialist", "Public finance reform team",
    ]
    amina = rows[0]
    assert (amina["expert_name"], amina["areas"], amina["languages"]) == (
        "Amina Odhiambo", "corrections;criminal_justice", "eng:C2;swa:C2"
    )
    assert (amina["available_from"], amina["monthly_cost_usd"], amina["available_until"]) == (
        "2026-01-01", "6500.00", "2035-12-31"
    )


def _without_references(file):
    """The export as a copy for another roster: its reference column (this roster's offers) emptied."""
    if file.filename.endswith(".csv"):
        rows = rows_of_csv(file.content)
        return write_csv([{**row, "reference": ""} for row in rows])
    book = load_workbook(io.BytesIO(file.content))
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("reference") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column).value = None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_another_roster_exports_identically_but_for_the_references(
        session, world, kenya_roster, fmt):
    first = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt=fmt)
    result = apply_import(session, actor=world.actor("officer"), provider_org_id=world.norway.id,
                          filename=first.filename, content=_without_references(first))
    assert len(result.offer_ids) == len(kenya_roster)
    second = export_roster(session, actor=world.actor("other_provider"), provider_org_id=None, fmt=fmt)

    def cells(f):
        return [{k: v for k, v in r.cells.items() if k != "reference"}
                for r in parse_roster(f.filename, f.content, max_rows=100).rows]

    assert cells(second) == cells(first)
    assert [r.cells["reference"] for r in parse_roster(second.filename, second.content, max_rows=100).rows] == [
        str(i) for i in result.offer_ids]


def test_an_export_re_imported_into_its_own_roster_updates_its_offers(session, world, kenya_roster):
    exported = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="xlsx")
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None,
                          filename=exported.filename, content=exported.content)
    assert (result.offer_ids, result.updated_ids) == ([], sorted(kenya_roster))


def test_an_xlsx_export_keeps_dates_and_numbers_as_typed_cells(session, world, kenya_roster):
    exported = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert tuple(header) == COLUMNS
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["available_from"].year == 2026 and first["capacity"] == 1 and first["monthly_cost_usd"] == 6500


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused_and_still_round_trips(session, world):
    content = (",".join(COLUMNS) + "\n" + "training,'=HYPERLINK(\"http://evil\"),-2 week course,,,,,,mediation,,,1,"
               "2026-01-01,,30,1,,provider,,\n").encode()
    # The quote a spreadsheet user adds to type a formula as text is not part of the title.
    apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="r.csv", content=content)
    offer = session.scalars(sa.select(Offer).where(Offer.provider_org_id == world.kenya.id)).one()
    assert offer.title == '=HYPERLINK("http://evil")' and offer.summary == "-2 week course"
    exported = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="csv")
    row = rows_of_csv(exported.content)[0]
    assert row["title"] == "'=HYPERLINK(\"http://evil\")" and row["summary"] == "'-2 week course"
    xlsx = export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="xlsx")
    cell = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["B2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil")'
    again = preview_import(session, actor=world.actor("provider"), provider_org_id=None,
                           filename=exported.filename, content=exported.content)
    assert again.ok and again.rows[0].title == '=HYPERLINK("http://evil")'


def test_a_provider_cannot_export_another_providers_roster(session, world, kenya_roster):
    for fmt in ("csv", "xlsx"):
        with pytest.raises(Forbidden):
            export_roster(session, actor=world.actor("other_provider"), provider_org_id=world.kenya.id, fmt=fmt)
    with pytest.raises(Forbidden):
        export_roster(session, actor=world.actor("requester"), provider_org_id=world.kenya.id, fmt="csv")


def test_the_secretariat_exports_any_providers_roster(session, world, kenya_roster):
    exported = export_roster(session, actor=world.actor("officer"), provider_org_id=world.kenya.id, fmt="csv")
    assert len(rows_of_csv(exported.content)) == 4


def test_the_example_file_imports_as_it_is(session, world):
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="template.csv",
                             content=template_csv())
    assert preview.ok, preview.errors
    assert [r.kind for r in preview.rows] == ["individual_expert", "training"]

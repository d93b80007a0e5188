"""Roster files (CSV or XLSX) read into rows of cell text, and rows turned into offer fields.

Pure: no database, no web. The service validates the rows against the schema and the taxonomy.

The format, one offer per row, first row the column names (any order, case ignored):

    kind                     individual_expert | expert_team | institutional_partnership | training
    title                    public title of the offer (3-200 characters)
    summary                  public text: no names or contact details
    expert_name              required for an individual expert (personal data)
    expert_email             personal data
    nationality              ISO 3166-1 alpha-3, required for an individual expert (KEN, SEN...)
    gender                   female | male | other | undisclosed
    years_experience         0-60
    areas                    capacity area codes separated by ";" (corrections;criminal_justice)
    skills                   skill codes of the row's areas separated by ";" (prison_management;corrections_training);
                             a skill's English name or a close spelling is read as its code
    languages                ISO 639 code and CEFR level, separated by ";" (fra:C1;eng:B2;swa:native)
    capacity                 positions it can fill at once, 1-100 (default 1)
    available_from           YYYY-MM-DD
    available_until          YYYY-MM-DD, empty for open-ended
    lead_time_days           0-365 (default 30)
    max_duration_months      1-60 (default 12)
    monthly_cost_usd         number, e.g. 4500.00
    cost_bearer              requester | provider | third_party
    screening_valid_until    YYYY-MM-DD
    credentials_valid_until  YYYY-MM-DD
    reference                the offer's reference (its id) in an export: the row updates that offer;
                             empty for a new offer
    past_deployments         the expert's earlier deployments, separated by ";", each written
                             country|organization served|role|from|to|appraisal, e.g.
                             LBR|UNMIL|Prison adviser|2015-01-01|2016-06-30|4 (to and appraisal may be
                             empty: LBR|UNMIL|Prison adviser|2015-01-01||). On a row updating an offer
                             the cell replaces the provider's entries; an empty cell leaves them as
                             they are. Deployments completed through CapMatch are the hosts' record:
                             never exported here, never replaced.

Required columns: kind, title, areas, available_from, cost_bearer. An empty cell takes the default.
CSV files are UTF-8 (Excel's "CSV UTF-8"), separated by commas or, as French Excel writes them, semicolons.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from capmatch.cells import FORMULA_STARTS, csv_text, xlsx_cell
from capmatch.i18n import _, formats

COLUMNS = (
    "kind", "title", "summary", "expert_name", "expert_email", "nationality", "gender", "years_experience",
    "areas", "skills", "languages", "capacity", "available_from", "available_until", "lead_time_days",
    "max_duration_months", "monthly_cost_usd", "cost_bearer", "screening_valid_until", "credentials_valid_until",
    "reference", "past_deployments",
)
REQUIRED_COLUMNS = ("kind", "title", "areas", "available_from", "cost_bearer")
LIST_COLUMNS = ("areas", "skills", "languages")
FORMATS = ("csv", "xlsx")



class RosterFileError(ValueError):
    """The file as a whole cannot be read (wrong format, not UTF-8, too many rows)."""


@dataclass(frozen=True)
class CellProblem:
    line: int
    column: str | None
    message: str


@dataclass
class RawRow:
    """One data row: the line (CSV) or row number (XLSX) it came from, and its non-empty cells."""

    line: int
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedRoster:
    rows: list[RawRow]
    problems: list[CellProblem]  # problems with the header: unknown, repeated or missing columns


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise RosterFileError(_("Upload a .csv or .xlsx file."))
    return suffix


def parse_roster(filename: str, content: bytes, *, max_rows: int) -> ParsedRoster:
    fmt = format_of(filename)
    table = _csv_table(content) if fmt == "csv" else _xlsx_table(content, max_rows=max_rows)
    return _rows_of(table, max_rows=max_rows)


# --- reading the table -----------------------------------------------------------------------


def _csv_table(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError(
            _("The file is not UTF-8 text (byte {byte}). In Excel, save it as “CSV UTF-8”.", byte=exc.start + 1)
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    start = 1
    try:
        for cells in reader:
            table.append((start, cells))
            start = reader.line_num + 1  # a quoted cell may span lines: report where the row begins
    except csv.Error as exc:
        raise RosterFileError(_("Line {line}: the CSV is malformed ({problem}).", line=start, problem=exc)) from None
    return table


def _xlsx_table(content: bytes, *, max_rows: int) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # imported here: CSV-only callers need not load it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise RosterFileError(_("The file is not a readable .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            table.append((number, [_cell_text(v) for v in values]))
            if len(table) > max_rows + 1 + 1000:
                break  # enough to report "too many rows" without reading a huge sheet to the end
        return table
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (float, Decimal)):
        return str(value)
    return str(value)


def _rows_of(table: list[tuple[int, list[str]]], *, max_rows: int) -> ParsedRoster:
    table = [(line, cells) for line, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise RosterFileError(_("The file is empty: the first row must name the columns."))
    header_line, header = table[0]
    problems: list[CellProblem] = []
    # None: a column without a name; "": a named column already reported and then ignored.
    columns: list[str | None] = []
    for name in (h.strip().lower() for h in header):
        if not name:
            columns.append(None)
        elif name not in COLUMNS:
            problems.append(CellProblem(header_line, name, _("Unknown column '{name}'.", name=name)))
            columns.append("")
        elif name in columns:
            problems.append(CellProblem(header_line, name, _("The column '{name}' appears twice.", name=name)))
            columns.append("")
        else:
            columns.append(name)
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(CellProblem(header_line, name, _("The required column '{name}' is missing.", name=name)))
    data = table[1:]
    if len(data) > max_rows:
        raise RosterFileError(_("The file has more than {count} rows: split it into smaller files.",
                                count=formats.number(max_rows)))
    rows = []
    for line, cells in data:
        row = RawRow(line)
        for i, text in enumerate(cells):
            name = columns[i] if i < len(columns) else None
            text = _unquote(text.strip())
            if text and name is None:
                problems.append(CellProblem(line, None, _("Cell {number} has a value but no column name.", number=i + 1)))
            elif text and name:
                row.cells[name] = text
        rows.append(row)
    return ParsedRoster(rows, problems)


def _unquote(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


# --- cells to offer fields -------------------------------------------------------------------

_SPLIT = re.compile(r"[;\n]")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def row_payload(row: RawRow) -> tuple[dict[str, Any], list[CellProblem]]:
    """The OfferCreate fields one row gives, and the problems found in cells the schema cannot judge."""
    payload: dict[str, Any] = {}
    problems: list[CellProblem] = []
    for name, text in row.cells.items():
        if name == "areas":
            # Area codes never contain commas, so "police, ddr" is accepted as well.
            payload[name] = [a.strip() for a in re.split(r"[;,\s]+", text) if a.strip()]
        elif name == "skills":
            payload[name] = split_list(text)
        elif name == "languages":
            payload[name] = []
            for item in split_list(text):
                code, sep, level = item.partition(":")
                if not sep or not code.strip() or not level.strip():
                    problems.append(CellProblem(
                        row.line, name, _("Write each language as code:level, e.g. fra:C1 (got '{value}').", value=item)
                    ))
                else:
                    payload[name].append({"code": code.strip(), "level": level.strip()})
        elif name == "past_deployments":
            payload[name] = []
            for item in split_list(text):
                parts = [part.strip() for part in item.split("|")]
                if len(parts) < 4 or len(parts) > 6 or not all(parts[:4]):
                    problems.append(CellProblem(
                        row.line, name, _("Write each past deployment as country|organization|role|from|to|appraisal, "
                                          "e.g. LBR|UNMIL|Prison adviser|2015-01-01|2016-06-30|4 (got '{value}').",
                                          value=item[:80])))
                    continue
                parts += [""] * (6 - len(parts))
                payload[name].append(dict(zip(PAST_DEPLOYMENT_PARTS, [p or None for p in parts])))
        else:
            payload[name] = text
    return payload, problems


PAST_DEPLOYMENT_PARTS = ("country", "organization_name", "role", "started_on", "ended_on", "appraisal")


def past_deployments_cell(entries) -> str:
    """The provider's own past deployments (PastDeploymentView-like) as one cell, as row_payload reads it."""
    return ";".join("|".join("" if v is None else str(v) for v in (
        d.country, d.organization_name, d.role, d.started_on, d.ended_on, d.appraisal)) for d in entries)


# --- writing ---------------------------------------------------------------------------------


def write_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accented names correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([csv_text(row.get(name)) for name in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[dict[str, Any]], *, sheet_title: str = "Roster") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([xlsx_cell(sheet, row.get(name)) for name in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

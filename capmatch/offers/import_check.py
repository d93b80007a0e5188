"""The checks each row of a roster file passes before anything is written: the offer schema and
the taxonomy and date rules create_offer applies, reported cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from capmatch.enums import PERSON_OFFER_KINDS
from capmatch.offers import import_rows
from capmatch.offers.import_rows import CellProblem
from capmatch.offers.schemas import OfferCreate
from capmatch.taxonomy.models import Area, Country, Language
from capmatch.taxonomy.skill_words import Vocabulary, resolve_all
from capmatch.taxonomy.skills import vocabulary


@dataclass(frozen=True)
class Reference:
    countries: frozenset[str]
    areas: frozenset[str]
    languages: dict[str, tuple[str, str]]  # ISO 639-3 or 639-1 code -> (639-3 code, name)
    skills: Vocabulary

    @classmethod
    def load(cls, session: Session) -> Reference:
        # Read once per file, not once per row: the tables are small and a roster has thousands of rows.
        languages: dict[str, tuple[str, str]] = {}
        for code, alias, name in session.execute(sa.select(Language.code, Language.iso639_1, Language.name)):
            languages[code] = (code, name)
            if alias:
                languages[alias] = (code, name)
        return cls(
            frozenset(session.scalars(sa.select(Country.iso3))),
            frozenset(session.scalars(sa.select(Area.code))),
            languages,
            vocabulary(session),
        )


MAX_REFERENCE = 2**31 - 1  # offers.id is an integer column


def reference_of(raw: import_rows.RawRow) -> tuple[int | None, CellProblem | None]:
    """The offer a row names in its reference cell (None: a new offer), or the problem with the cell."""
    text = raw.cells.get("reference")
    if text is None:
        return None, None
    if not text.isdigit() or not 1 <= int(text) <= MAX_REFERENCE:
        return None, CellProblem(raw.line, "reference",
                                 f"A reference is the number an export gives an offer (got '{text[:60]}').")
    return int(text), None


def check_references(rows: list[tuple[import_rows.RawRow, int, OfferCreate | None]],
                     existing: dict[int, tuple[str, int]]) -> list[CellProblem]:
    """Each referenced offer must be one of this roster's, not withdrawn, named once, with room for its holders.

    `existing` maps the roster's referenced offers to their (status, reserved).
    """
    problems: list[CellProblem] = []
    first_line: dict[int, int] = {}
    for raw, reference, data in rows:
        found = existing.get(reference)
        if reference in first_line:
            problems.append(CellProblem(raw.line, "reference",
                                        f"Line {first_line[reference]} already updates offer {reference}: name it once."))
        elif found is None:
            problems.append(CellProblem(raw.line, "reference", f"No offer of this roster has the reference {reference}: "
                                        "empty the cell to add the row as a new offer."))
        elif found[0] == "withdrawn":
            problems.append(CellProblem(raw.line, "reference", f"Offer {reference} was withdrawn and cannot be changed: "
                                        "empty the cell to add the row as a new offer."))
        elif data is not None and data.capacity < found[1]:
            problems.append(CellProblem(raw.line, "capacity", f"{found[1]} of offer {reference}'s positions are held "
                                        f"by approved proposals: the capacity cannot go below {found[1]}."))
        first_line.setdefault(reference, raw.line)
    return problems


def check_row(raw: import_rows.RawRow, org_id: int, ref: Reference) -> tuple[OfferCreate | None, list[CellProblem]]:
    payload, problems = import_rows.row_payload(raw)
    payload.pop("reference", None)  # judged by reference_of: not an offer field
    data: OfferCreate | None = None
    try:
        data = OfferCreate.model_validate({**payload, "provider_org_id": org_id})
    except ValidationError as exc:
        problems.extend(CellProblem(raw.line, *_schema_problem(err, payload)) for err in exc.errors())
    judged = {p.column for p in problems}

    # The taxonomy checks create_offer makes (nationality, areas, languages), on the cells as
    # written, so a row with a schema error still reports its unknown codes in the same pass.
    nationality = str(payload.get("nationality", "")).strip().upper()
    if nationality and "nationality" not in judged and nationality not in ref.countries:
        problems.append(CellProblem(raw.line, "nationality", f"No country has the ISO 3166 alpha-3 code '{nationality}'."))
    if "areas" not in judged:
        for code in payload.get("areas", []):
            if code.strip().lower() not in ref.areas:
                problems.append(CellProblem(raw.line, "areas", f"No capacity area has the code '{code}'."))
    areas = [code.strip().lower() for code in payload.get("areas", []) if code.strip().lower() in ref.areas]
    if "skills" not in judged and areas:
        # A name or a close spelling is stored as its code; each skill that names none is a problem of its own.
        # A row updating an offer may keep a skill retired since: update_offer checks that against the offer.
        kept = ref.skills.retired if raw.cells.get("reference") else ()
        codes, unknown = resolve_all(ref.skills, payload.get("skills", []), areas=areas, keep=kept)
        problems.extend(CellProblem(raw.line, "skills", message) for _i, message in unknown)
        if data is not None and not unknown:
            data = data.model_copy(update={"skills": codes})
    if "languages" not in judged:
        seen: set[str] = set()
        for item in payload.get("languages", []):
            found = ref.languages.get(item["code"].strip().lower())
            if found is None:
                problems.append(CellProblem(raw.line, "languages", f"No language has the ISO 639 code '{item['code']}'."))
            elif found[0] in seen:
                problems.append(CellProblem(raw.line, "languages", f"{found[1]} is listed twice."))
            else:
                seen.add(found[0])
    if "past_deployments" not in judged:
        for i, past in enumerate(payload.get("past_deployments", [])):
            country = str(past.get("country") or "").strip().upper()
            if country not in ref.countries:
                problems.append(CellProblem(raw.line, "past_deployments",
                                            f"Past deployment {i + 1}: no country has the ISO 3166 alpha-3 code '{country}'."))
    kind = str(payload.get("kind", "")).strip()
    if kind in PERSON_OFFER_KINDS:
        if not payload.get("expert_name") and "expert_name" not in judged:
            problems.append(CellProblem(raw.line, "expert_name", "An individual expert needs the expert's name."))
        if not nationality and "nationality" not in judged:
            problems.append(CellProblem(raw.line, "nationality", "An individual expert needs a nationality."))
    if data is not None:
        if data.available_until is not None and data.available_until < date.today():
            problems.append(CellProblem(raw.line, "available_until", "The offer cannot end in the past."))
        elif data.available_until is not None and data.available_until < data.available_from:
            problems.append(CellProblem(raw.line, "available_until", "available_until must not be before available_from."))
    return data, problems


def _schema_problem(err: Any, payload: dict[str, Any]) -> tuple[str | None, str]:
    loc = err.get("loc", ())
    column = loc[0] if loc and loc[0] in import_rows.COLUMNS else None
    kind = err.get("type", "")
    message = err.get("msg", "is invalid").removeprefix("Value error, ").replace("Input should be ", "Must be ")
    if kind == "missing":
        return column, "This column is required: the cell is empty."
    if kind.startswith(("date_", "datetime_")):
        message = "Write the date as YYYY-MM-DD"
    elif kind.startswith("int_"):
        message = "Enter a whole number"
    elif kind.startswith("decimal_parsing"):
        message = "Enter a number such as 4500.00"
    message = message.rstrip(".")
    value = err.get("input")
    if column == "past_deployments" and len(loc) > 2 and isinstance(loc[1], int):
        return column, f"Past deployment {loc[1] + 1}, {loc[2]}: {message}."
    if column in import_rows.LIST_COLUMNS and len(loc) > 1 and isinstance(loc[1], int):
        item = payload.get(column, [])[loc[1]] if loc[1] < len(payload.get(column, [])) else None
        shown = f"{item['code']}:{item['level']}" if isinstance(item, dict) else item
        return column, f"'{shown}': {message}."
    if kind == "text_unstorable":
        return column, message + "."  # the cell as written would not show the character
    if isinstance(value, str) and value and len(value) <= 60:
        return column, f"{message} (got '{value}')."
    return column, message + "."

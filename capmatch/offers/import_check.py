"""The checks each row of a roster file passes before anything is written: the offer schema and
the taxonomy and date rules create_offer applies, reported cell by cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from capmatch.enums import PERSON_OFFER_KINDS
from capmatch.i18n import N_, _, ngettext
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
                                 _("A reference is the number an export gives an offer (got '{value}').", value=text[:60]))
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
                                        _("Line {line} already updates offer {reference}: name it once.",
                                          line=first_line[reference], reference=reference)))
        elif found is None:
            problems.append(CellProblem(raw.line, "reference", _(
                "No offer of this roster has the reference {reference}: empty the cell to add the row as a new offer.",
                reference=reference)))
        elif found[0] == "withdrawn":
            problems.append(CellProblem(raw.line, "reference", _(
                "Offer {reference} was withdrawn and cannot be changed: empty the cell to add the row as a new offer.",
                reference=reference)))
        elif data is not None and data.capacity < found[1]:
            problems.append(CellProblem(raw.line, "capacity", ngettext(
                "{count} of offer {reference}'s positions is held by an approved proposal: the capacity cannot go "
                "below {count}.",
                "{count} of offer {reference}'s positions are held by approved proposals: the capacity cannot go "
                "below {count}.", found[1], reference=reference)))
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
        problems.append(CellProblem(raw.line, "nationality", _("No country has the ISO 3166 alpha-3 code '{code}'.", code=nationality)))
    if "areas" not in judged:
        for code in payload.get("areas", []):
            if code.strip().lower() not in ref.areas:
                problems.append(CellProblem(raw.line, "areas", _("No capacity area has the code '{code}'.", code=code)))
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
                problems.append(CellProblem(raw.line, "languages", _("No language has the ISO 639 code '{code}'.", code=item["code"])))
            elif found[0] in seen:
                problems.append(CellProblem(raw.line, "languages", _("{language} is listed twice.", language=found[1])))
            else:
                seen.add(found[0])
    if "past_deployments" not in judged:
        for i, past in enumerate(payload.get("past_deployments", [])):
            country = str(past.get("country") or "").strip().upper()
            if country not in ref.countries:
                problems.append(CellProblem(raw.line, "past_deployments",
                                            _("Past deployment {number}: no country has the ISO 3166 alpha-3 code "
                                              "'{code}'.", number=i + 1, code=country)))
    kind = str(payload.get("kind", "")).strip()
    if kind in PERSON_OFFER_KINDS:
        if not payload.get("expert_name") and "expert_name" not in judged:
            problems.append(CellProblem(raw.line, "expert_name", _("An individual expert needs the expert's name.")))
        if not nationality and "nationality" not in judged:
            problems.append(CellProblem(raw.line, "nationality", _("An individual expert needs a nationality.")))
    if data is not None:
        if data.available_until is not None and data.available_until < date.today():
            problems.append(CellProblem(raw.line, "available_until", _("The offer cannot end in the past.")))
        elif data.available_until is not None and data.available_until < data.available_from:
            problems.append(CellProblem(raw.line, "available_until", _("available_until must not be before available_from.")))
    return data, problems


def _schema_problem(err: Any, payload: dict[str, Any]) -> tuple[str | None, str]:
    loc = err.get("loc", ())
    column = loc[0] if loc and loc[0] in import_rows.COLUMNS else None
    kind = err.get("type", "")
    if kind == "missing":
        return column, _("This column is required: the cell is empty.")
    message = _cell_problem(kind, err.get("ctx") or {}, str(err.get("msg", ""))).rstrip(".")
    value = err.get("input")
    if column == "past_deployments" and len(loc) > 2 and isinstance(loc[1], int):
        return column, _("Past deployment {number}, {field}: {problem}.", number=loc[1] + 1, field=loc[2],
                         problem=message)
    if column in import_rows.LIST_COLUMNS and len(loc) > 1 and isinstance(loc[1], int):
        item = payload.get(column, [])[loc[1]] if loc[1] < len(payload.get(column, [])) else None
        shown = f"{item['code']}:{item['level']}" if isinstance(item, dict) else item
        return column, _("'{value}': {problem}.", value=shown, problem=message)
    if kind == "text_unstorable":
        return column, message + "."  # the cell as written would not show the character
    if isinstance(value, str) and value and len(value) <= 60:
        return column, _("{problem} (got '{value}').", problem=message, value=value)
    return column, message + "."


def _cell_problem(kind: str, ctx: dict[str, Any], msg: str) -> str:
    """What is wrong with a cell, in the words of the language in use (pydantic writes English)."""
    if kind.startswith(("date_", "datetime_")):
        return _("Write the date as YYYY-MM-DD")
    if kind.startswith("int_"):
        return _("Enter a whole number")
    if kind.startswith(("decimal_", "float_")):
        return _("Enter a number such as 4500.00")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        words = {"greater_than_equal": N_("Must be {bound} or more"), "less_than_equal": N_("Must be {bound} or less"),
                 "greater_than": N_("Must be more than {bound}"), "less_than": N_("Must be less than {bound}")}
        return _(words[kind], bound=bound)
    if kind == "string_too_short":
        return _("Write at least {count} characters", count=ctx.get("min_length"))
    if kind == "string_too_long":
        return _("Write at most {count} characters", count=ctx.get("max_length"))
    if kind in ("literal_error", "enum"):
        return _("Must be one of: {codes}", codes=", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", "")))))
    if kind == "string_pattern_mismatch":
        return _("Not in the form this column takes")
    # Our own validators' messages, already in the language in use.
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ") or _("Not valid")

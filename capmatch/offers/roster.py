"""A provider's roster: who may manage it, reading it, and importing a whole file of offers at once.

An import is all or nothing. `preview_import` checks every row (the offer schema and the same
taxonomy and date rules `create_offer` applies) and reports every problem with its line and
column; `apply_import` writes the rows only when there is none, in the caller's transaction, so a
failure on any row leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.enums import PERSON_OFFER_KINDS
from capmatch.errors import Forbidden, InvalidInput, NotFound
from capmatch.offers.models import Offer
from capmatch.offers.queries import OfferFilters, OfferRecord, get_offer, list_offers
from capmatch.offers.schemas import OfferCreate
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest
from capmatch.offers import import_rows, import_writer
from capmatch.offers.import_rows import CellProblem, RosterFileError
from capmatch.taxonomy.models import Area, Country, Language

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class PreviewRow:
    line: int
    kind: str
    title: str
    expert_name: str | None
    nationality: str | None
    areas: list[str]
    languages: str
    capacity: int
    available_from: date
    available_until: date | None


@dataclass(frozen=True)
class ImportPreview:
    organization_id: int
    organization_name: str
    filename: str
    rows: list[PreviewRow]  # the rows that passed every check
    errors: list[CellProblem]
    row_count: int

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors})


class RosterInvalid(InvalidInput):
    """The roster has bad rows: nothing was imported. Carries the preview listing them all."""

    def __init__(self, preview: ImportPreview):
        super().__init__(
            f"{preview.bad_lines} of the file's lines have problems ({len(preview.errors)} in all): "
            "nothing was imported.",
            field="file",
        )
        self.preview = preview


@dataclass(frozen=True)
class ImportResult:
    organization_id: int
    offer_ids: list[int]


# --- access ----------------------------------------------------------------------------------


def roster_organization(session: Session, *, actor: Actor | None, provider_org_id: int | None) -> Organization:
    """The providing organization whose roster the actor manages: their own, or any for the secretariat."""
    actor = require_actor(actor)
    if actor.is_secretariat:
        if provider_org_id is None:
            raise InvalidInput("Choose the providing organization.", field="provider_org_id")
        org = session.get(Organization, provider_org_id)
        if org is None:
            raise NotFound(f"No organization has the id {provider_org_id}.")
        if not org.may_provide:
            raise InvalidInput(f"{org.name} does not provide expertise.", field="provider_org_id")
        return org
    if actor.role != "provider":
        raise Forbidden("Only providers and the secretariat manage rosters.")
    if provider_org_id is not None and not actor.acts_for(provider_org_id):
        raise Forbidden("You may manage only your own organization's roster.")
    org = session.get(Organization, actor.organization_id) if actor.organization_id else None
    if org is None or not org.may_provide:
        raise Forbidden("Your organization is not registered to provide expertise.")
    return org


def providing_organizations(session: Session, *, actor: Actor | None) -> list[tuple[int, str]]:
    """The rosters the actor may open: every provider's for the secretariat, else their own."""
    actor = require_actor(actor)
    if not actor.is_secretariat:
        org = roster_organization(session, actor=actor, provider_org_id=None)
        return [(org.id, org.name)]
    rows = session.execute(
        sa.select(Organization.id, Organization.name).where(Organization.may_provide).order_by(Organization.name)
    )
    return [(row.id, row.name) for row in rows]


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterPage:
    organization_id: int
    organization_name: str
    offers: list[OfferRecord]
    total: int
    status_counts: dict[str, int]


def list_roster(
    session: Session, *, actor: Actor | None, provider_org_id: int | None, status: tuple[str, ...] = (),
    page: PageRequest,
) -> RosterPage:
    org = roster_organization(session, actor=actor, provider_org_id=provider_org_id)
    offers, total = list_offers(session, actor=actor, filters=OfferFilters(provider=org.id, status=status), page=page)
    counts = dict(session.execute(
        sa.select(Offer.status, sa.func.count()).where(Offer.provider_org_id == org.id).group_by(Offer.status)
    ).all())
    return RosterPage(org.id, org.name, offers, total, counts)


def get_roster_offer(session: Session, *, actor: Actor | None, offer_id: int) -> OfferRecord:
    """One offer of the actor's roster, with the expert's personal data, for editing."""
    actor = require_actor(actor)
    record_ = get_offer(session, actor=actor, offer_id=offer_id)
    if not actor.is_secretariat:
        roster_organization(session, actor=actor, provider_org_id=record_.provider.id)
    return record_


# --- import ----------------------------------------------------------------------------------


def preview_import(
    session: Session, *, actor: Actor | None, provider_org_id: int | None, filename: str, content: bytes
) -> ImportPreview:
    org = roster_organization(session, actor=actor, provider_org_id=provider_org_id)
    return _check_file(session, org, filename, content)[0]


def apply_import(
    session: Session, *, actor: Actor | None, provider_org_id: int | None, filename: str, content: bytes
) -> ImportResult:
    """Create every row's offer, or none: raises RosterInvalid (listing every bad row) instead."""
    actor = require_actor(actor)
    org = roster_organization(session, actor=actor, provider_org_id=provider_org_id)
    preview, offers, reference = _check_file(session, org, filename, content)
    if not preview.ok:
        raise RosterInvalid(preview)
    language_codes = {alias: code for alias, (code, _name) in reference.languages.items()}
    ids = import_writer.insert_offers(session, actor=actor, organization_id=org.id, offers=[data for _line, data in offers],
                               language_codes=language_codes, source=filename[:200])
    record(session, actor=actor, entity_type="organization", entity_id=org.id, action="roster_import",
           data={"filename": filename[:200], "offers": len(ids)})
    return ImportResult(org.id, ids)


def _check_file(
    session: Session, org: Organization, filename: str, content: bytes
) -> tuple[ImportPreview, list[tuple[int, OfferCreate]], _Reference]:
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it.", field="file")
    if not content:
        raise InvalidInput("The file is empty.", field="file")
    try:
        parsed = import_rows.parse_roster(filename, content, max_rows=MAX_ROWS)
    except RosterFileError as exc:
        raise InvalidInput(str(exc), field="file") from None
    if not parsed.rows and not parsed.problems:
        raise InvalidInput("The file has column names but no offers below them.", field="file")
    reference = _Reference.load(session)
    errors = list(parsed.problems)
    good: list[tuple[int, OfferCreate]] = []
    rows = []
    for raw in parsed.rows:
        data, problems = _check_row(raw, org.id, reference)
        errors.extend(problems)
        if data is not None and not problems:
            good.append((raw.line, data))
            rows.append(_preview_row(raw.line, data))
    errors.sort(key=lambda e: (e.line, import_rows.COLUMNS.index(e.column) if e.column in import_rows.COLUMNS else -1))
    preview = ImportPreview(org.id, org.name, filename, rows, errors, len(parsed.rows))
    return preview, good, reference


@dataclass(frozen=True)
class _Reference:
    countries: frozenset[str]
    areas: frozenset[str]
    languages: dict[str, tuple[str, str]]  # ISO 639-3 or 639-1 code -> (639-3 code, name)

    @classmethod
    def load(cls, session: Session) -> _Reference:
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
        )


def _check_row(raw: import_rows.RawRow, org_id: int, ref: _Reference) -> tuple[OfferCreate | None, list[CellProblem]]:
    payload, problems = import_rows.row_payload(raw)
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
    if column in import_rows.LIST_COLUMNS and len(loc) > 1 and isinstance(loc[1], int):
        item = payload.get(column, [])[loc[1]] if loc[1] < len(payload.get(column, [])) else None
        shown = f"{item['code']}:{item['level']}" if isinstance(item, dict) else item
        return column, f"'{shown}': {message}."
    if isinstance(value, str) and value and len(value) <= 60:
        return column, f"{message} (got '{value}')."
    return column, message + "."


def _preview_row(line: int, data: OfferCreate) -> PreviewRow:
    return PreviewRow(
        line=line, kind=data.kind, title=data.title, expert_name=data.expert_name, nationality=data.nationality,
        areas=[a.strip().lower() for a in data.areas],
        languages=", ".join(f"{x.code}:{x.level}" for x in data.languages),
        capacity=data.capacity, available_from=data.available_from, available_until=data.available_until,
    )

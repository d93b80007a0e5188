"""A provider's roster: who may manage it, reading it, and importing a whole file of offers at once.

An import is all or nothing. `preview_import` checks every row (the offer schema and the same
taxonomy and date rules `create_offer` applies) and reports every problem with its line and
column; `apply_import` writes the rows only when there is none, in the caller's transaction, so a
failure on any row leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.errors import Forbidden, InvalidInput, NotFound
from capmatch.offers.models import Offer
from capmatch.offers.queries import OfferFilters, OfferRecord, get_offer, list_offers
from capmatch.offers.schemas import OfferCreate
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest
from capmatch.offers import import_check, import_rows, import_writer
from capmatch.offers.import_rows import CellProblem, RosterFileError

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
) -> tuple[ImportPreview, list[tuple[int, OfferCreate]], import_check.Reference]:
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
    reference = import_check.Reference.load(session)
    errors = list(parsed.problems)
    good: list[tuple[int, OfferCreate]] = []
    rows = []
    for raw in parsed.rows:
        data, problems = import_check.check_row(raw, org.id, reference)
        errors.extend(problems)
        if data is not None and not problems:
            good.append((raw.line, data))
            rows.append(_preview_row(raw.line, data))
    errors.sort(key=lambda e: (e.line, import_rows.COLUMNS.index(e.column) if e.column in import_rows.COLUMNS else -1))
    preview = ImportPreview(org.id, org.name, filename, rows, errors, len(parsed.rows))
    return preview, good, reference


def _preview_row(line: int, data: OfferCreate) -> PreviewRow:
    return PreviewRow(
        line=line, kind=data.kind, title=data.title, expert_name=data.expert_name, nationality=data.nationality,
        areas=[a.strip().lower() for a in data.areas],
        languages=", ".join(f"{x.code}:{x.level}" for x in data.languages),
        capacity=data.capacity, available_from=data.available_from, available_until=data.available_until,
    )

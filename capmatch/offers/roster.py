"""A provider's roster: who may manage it, reading it, and importing a whole file of offers at once.

An import is all or nothing. `preview_import` checks every row (the offer schema and the same
taxonomy and date rules `create_offer` applies) and reports every problem with its line and
column; `apply_import` writes the rows only when there is none, in the caller's transaction, so a
failure on any row leaves nothing behind.

A row whose `reference` names one of the roster's offers (an export gives every row its offer's
id) updates that offer through `update_offer`, so an exported roster re-imports without duplicates;
a row without one is a new offer. A file is imported once per roster: its SHA-256 is recorded with
the import, and confirming the same file again (a double click, a replayed form) imports nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from capmatch.i18n import _, formats
from capmatch.offers.models import Offer, RosterImport
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
    reference: int | None  # the offer the row updates; None for a new one


@dataclass(frozen=True)
class PastImport:
    filename: str
    imported_at: datetime
    offers_created: int
    offers_updated: int

    def summary(self) -> str:
        return _("This file was already imported into this roster on {moment} (as {filename}: {created} new, "
                 "{updated} updated).", moment=formats.moment(self.imported_at), filename=self.filename,
                 created=formats.number(self.offers_created), updated=formats.number(self.offers_updated))

    def describe(self) -> str:
        return _("{summary} Nothing was imported again.", summary=self.summary())


@dataclass(frozen=True)
class ImportPreview:
    organization_id: int
    organization_name: str
    filename: str
    rows: list[PreviewRow]  # the rows that passed every check
    errors: list[CellProblem]
    row_count: int
    already_imported: PastImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_rows(self) -> int:
        return sum(1 for r in self.rows if r.reference is None)

    @property
    def updated_rows(self) -> int:
        return sum(1 for r in self.rows if r.reference is not None)

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


class AlreadyImported(Conflict):
    """The same file was confirmed into this roster before: nothing was written."""

    def __init__(self, past: PastImport):
        super().__init__(past.describe(), field="file")
        self.past = past


@dataclass(frozen=True)
class ImportResult:
    organization_id: int
    offer_ids: list[int]  # the new offers'
    updated_ids: list[int] = ()  # type: ignore[assignment]


# --- access ----------------------------------------------------------------------------------


def roster_organization(session: Session, *, actor: Actor | None, provider_org_id: int | None) -> Organization:
    """The providing organization whose roster the actor manages: their own, or any for the secretariat."""
    actor = require_actor(actor)
    if actor.is_secretariat:
        if provider_org_id is None:
            raise InvalidInput(_("Choose the providing organization."), field="provider_org_id")
        org = session.get(Organization, provider_org_id)
        if org is None:
            raise NotFound(_("No organization has the id {id}.", id=provider_org_id))
        if not org.may_provide:
            raise InvalidInput(f"{org.name} does not provide expertise.", field="provider_org_id")
        return org
    if actor.role != "provider":
        raise Forbidden(_("Only providers and the secretariat manage rosters."))
    if provider_org_id is not None and not actor.acts_for(provider_org_id):
        raise Forbidden(_("You may manage only your own organization's roster."))
    org = session.get(Organization, actor.organization_id) if actor.organization_id else None
    if org is None or not org.may_provide:
        raise Forbidden(_("Your organization is not registered to provide expertise."))
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


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _past_import(session: Session, org_id: int, digest: str) -> PastImport | None:
    found = session.scalar(sa.select(RosterImport).where(RosterImport.organization_id == org_id,
                                                         RosterImport.content_sha256 == digest))
    return found and PastImport(found.filename, found.imported_at, found.offers_created, found.offers_updated)


def apply_import(
    session: Session, *, actor: Actor | None, provider_org_id: int | None, filename: str, content: bytes
) -> ImportResult:
    """Create or update every row's offer, or none: raises RosterInvalid (listing every bad row) instead,
    or AlreadyImported when this file was imported into the roster before."""
    actor = require_actor(actor)
    org = roster_organization(session, actor=actor, provider_org_id=provider_org_id)
    preview, offers, reference = _check_file(session, org, filename, content)
    if preview.already_imported:
        raise AlreadyImported(preview.already_imported)
    if not preview.ok:
        raise RosterInvalid(preview)
    # Claimed before anything is written: a second confirm of the same file running at the same time
    # waits here on the unique key until the first commits, then finds it and writes nothing.
    digest = content_digest(content)
    claim = import_writer.claim_file(session, actor=actor, organization_id=org.id, digest=digest, filename=filename)
    if claim is None:
        raise AlreadyImported(_past_import(session, org.id, digest))  # type: ignore[arg-type]
    language_codes = {alias: code for alias, (code, _name) in reference.languages.items()}
    new = [data for _line, ref, data in offers if ref is None]
    ids = import_writer.insert_offers(session, actor=actor, organization_id=org.id, offers=new,
                                      language_codes=language_codes, source=filename[:200])
    updated, problems = import_writer.update_offers(
        session, actor=actor, rows=[(line, ref, data) for line, ref, data in offers if ref is not None])
    if problems:  # changed since the check (a proposal approved meanwhile): the savepoint undoes it all
        bad = {p.line for p in problems}
        raise RosterInvalid(ImportPreview(org.id, org.name, filename, [r for r in preview.rows if r.line not in bad],
                                          problems, preview.row_count))
    session.execute(sa.update(RosterImport).where(RosterImport.id == claim)
                    .values(offers_created=len(ids), offers_updated=len(updated)))
    record(session, actor=actor, entity_type="organization", entity_id=org.id, action="roster_import",
           data={"filename": filename[:200], "offers": len(ids), "updated": len(updated), "sha256": digest})
    return ImportResult(org.id, ids, updated)


def _check_file(
    session: Session, org: Organization, filename: str, content: bytes
) -> tuple[ImportPreview, list[tuple[int, int | None, OfferCreate]], import_check.Reference]:
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is larger than {size} MB: split it.", size=MAX_UPLOAD_BYTES // (1024 * 1024)),
                           field="file")
    if not content:
        raise InvalidInput(_("The file is empty."), field="file")
    try:
        parsed = import_rows.parse_roster(filename, content, max_rows=MAX_ROWS)
    except RosterFileError as exc:
        raise InvalidInput(str(exc), field="file") from None
    if not parsed.rows and not parsed.problems:
        raise InvalidInput(_("The file has column names but no offers below them."), field="file")
    reference = import_check.Reference.load(session)
    errors = list(parsed.problems)
    checked = []
    for raw in parsed.rows:
        offer_ref, problem = import_check.reference_of(raw)
        data, problems = import_check.check_row(raw, org.id, reference)
        checked.append((raw, offer_ref, data, [*([problem] if problem else []), *problems]))
    named = [(raw, ref, data) for raw, ref, data, _problems in checked if ref is not None]
    existing = {row.id: (row.status, row.reserved) for row in session.execute(
        sa.select(Offer.id, Offer.status, Offer.reserved)
        .where(Offer.provider_org_id == org.id, Offer.id.in_({ref for _raw, ref, _data in named}))
    )} if named else {}
    for problem in import_check.check_references(named, existing):
        next(row for row in checked if row[0].line == problem.line)[3].append(problem)
    good: list[tuple[int, int | None, OfferCreate]] = []
    rows = []
    for raw, offer_ref, data, problems in checked:
        errors.extend(problems)
        if data is not None and not problems:
            good.append((raw.line, offer_ref, data))
            rows.append(_preview_row(raw.line, offer_ref, data))
    errors.sort(key=lambda e: (e.line, import_rows.COLUMNS.index(e.column) if e.column in import_rows.COLUMNS else -1))
    preview = ImportPreview(org.id, org.name, filename, rows, errors, len(parsed.rows),
                            _past_import(session, org.id, content_digest(content)))
    return preview, good, reference


def _preview_row(line: int, offer_ref: int | None, data: OfferCreate) -> PreviewRow:
    return PreviewRow(
        line=line, kind=data.kind, title=data.title, expert_name=data.expert_name, nationality=data.nationality,
        areas=[a.strip().lower() for a in data.areas],
        languages=", ".join(f"{x.code}:{x.level}" for x in data.languages),
        capacity=data.capacity, available_from=data.available_from, available_until=data.available_until,
        reference=offer_ref,
    )

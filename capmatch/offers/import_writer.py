"""Writing a checked roster in a few statements instead of one round trip per row and per child.

`create_offer` would take about 8 ms a row (its flush, reference look-ups and child deletes), so
40 seconds for a 5,000-row file: too long for a web request. The rows reaching this module have
passed the same checks as `create_offer` (schema, taxonomy, dates) in `service._check_row`; the
columns are set the same way (offers.service.PLAIN_FIELDS) and the table's CHECK constraints
still guard every row. Each offer gets the same audit event `create_offer` records.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor
from capmatch.enums import cefr_to_int
from sqlalchemy.dialects.postgresql import insert

from capmatch.errors import CapmatchError
from capmatch.offers.import_rows import COLUMNS, CellProblem
from capmatch.offers.models import Offer, OfferArea, OfferLanguage, PastDeployment, RosterImport
from capmatch.offers.schemas import OfferCreate, OfferUpdate
from capmatch.offers.service import PLAIN_FIELDS, update_offer


def insert_offers(
    session: Session, *, actor: Actor, organization_id: int, offers: list[OfferCreate],
    language_codes: dict[str, str], source: str,
) -> list[int]:
    """Insert the offers with their areas, languages and audit events; returns their ids in order.

    `language_codes` maps every accepted code (ISO 639-3 or its 639-1 alias) to the 639-3 code stored.
    """
    if not offers:
        return []
    rows = []
    for data in offers:
        row = {name: getattr(data, name) for name in PLAIN_FIELDS}
        row.update(provider_org_id=organization_id, status="available", created_by_id=actor.db_user_id,
                   nationality_iso3=data.nationality)
        rows.append(row)
    ids = list(session.scalars(sa.insert(Offer).returning(Offer.id, sort_by_parameter_order=True), rows))
    areas = [
        {"offer_id": offer_id, "area_code": code}
        for offer_id, data in zip(ids, offers, strict=True)
        for code in dict.fromkeys(a.strip().lower() for a in data.areas)
    ]
    languages = [
        {"offer_id": offer_id, "language_code": language_codes[lang.code], "level": cefr_to_int(lang.level)}
        for offer_id, data in zip(ids, offers, strict=True)
        for lang in data.languages
    ]
    events = [
        {"actor_id": actor.db_user_id, "entity_type": "offer", "entity_id": offer_id, "action": "create",
         "to_state": "available", "data": {"title": data.title, "import": source}}
        for offer_id, data in zip(ids, offers, strict=True)
    ]
    past = [
        {"offer_id": offer_id, "country_iso3": p.country, "organization_name": p.organization_name, "role": p.role,
         "started_on": p.started_on, "ended_on": p.ended_on, "appraisal": p.appraisal}
        for offer_id, data in zip(ids, offers, strict=True)
        for p in data.past_deployments
    ]
    session.execute(sa.insert(OfferArea), areas)
    if languages:
        session.execute(sa.insert(OfferLanguage), languages)
    if past:
        session.execute(sa.insert(PastDeployment), past)
    session.execute(sa.insert(AuditEvent), events)
    return ids


def claim_file(session: Session, *, actor: Actor, organization_id: int, digest: str, filename: str) -> int | None:
    """Record the file's import; None if it was imported into this roster before.

    A confirm of the same file running at the same time waits on the unique key until this
    transaction ends, then finds the row and gets None.
    """
    return session.scalar(insert(RosterImport).values(
        organization_id=organization_id, content_sha256=digest, filename=filename[:200],
        imported_by_id=actor.db_user_id, offers_created=0, offers_updated=0,
    ).on_conflict_do_nothing().returning(RosterImport.id))


def update_offers(
    session: Session, *, actor: Actor, rows: list[tuple[int, int, OfferCreate]]
) -> tuple[list[int], list[CellProblem]]:
    """Each (line, offer id, values) row's offer takes its values as an edit of the offer would: the
    same rules, row lock and audit event (update_offer). Returns the ids and each row's problem.

    One update_offer a row: slower than insert_offers, but every rule of an edit (capacity against the
    places held, the status it moves) stays in one place.
    """
    problems: list[CellProblem] = []
    # In the order of the offers' ids: the row locks are taken in one order, as everywhere else.
    for line, offer_id, data in sorted(rows, key=lambda row: row[1]):
        # An empty past_deployments cell leaves the offer's as they are (see import_rows).
        values = data.model_dump(exclude={"provider_org_id"} | (set() if data.past_deployments else {"past_deployments"}))
        try:
            update_offer(session, actor=actor, offer_id=offer_id, data=OfferUpdate.model_validate(values))
        except CapmatchError as exc:
            if exc.status in (401, 403):
                raise
            problems.append(CellProblem(line, exc.field if exc.field in COLUMNS else None, exc.message))
    return sorted(offer_id for _line, offer_id, _data in rows), problems

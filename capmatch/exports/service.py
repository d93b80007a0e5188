"""Open-data exports: a list's records, under its reader's access rules, as a file streamed row by row.

open_export checks everything a request can get wrong (the dataset, the format, a filter that does
not apply, who may read it) before the first byte, so a refusal is a plain 4xx. The rows are read
through a server-side cursor as the file is sent: a 200,000-row export starts answering at once and
holds a batch of rows in memory, not the file (benchmarks/bench_exports.py measures both).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_actor, require_role
from capmatch.enums import NEED_STATUSES, OFFER_STATUSES, PROPOSAL_STATUSES
from capmatch.errors import InvalidInput
from capmatch.exports import datasets, formats
from capmatch.exports.columns import COLUMNS
from capmatch.needs.queries import NeedFilters
from capmatch.offers.queries import OfferFilters
from capmatch.proposals.queries import ProposalFilters

DATASETS = tuple(COLUMNS)
FORMATS = formats.FORMATS
BATCH = 1000  # rows fetched from the server-side cursor at a time

_NEED_FILTERS = {"cluster", "area", "country", "language", "urgency", "requester", "global_south", "q"}
# Which of the filters each dataset takes: those of the list it exports.
APPLIES = {
    "needs": _NEED_FILTERS | {"status"},
    "offers": {"cluster", "area", "country", "language", "status", "provider_kind", "global_south", "kind",
               "provider", "q"},
    "proposals": {"status", "need", "offer", "run"},
    "deployments": {"status", "need", "offer"},
    "gaps": _NEED_FILTERS | {"run"},  # the needs' filters, over the needs a run left unfilled
}
STATUSES = {"needs": NEED_STATUSES, "offers": OFFER_STATUSES, "proposals": PROPOSAL_STATUSES,
            "deployments": datasets.DEPLOYMENT_STATUSES}


@dataclass(frozen=True)
class ExportFilters:
    """The filters of every list an export can be made of; each dataset takes those of its list."""

    cluster: str | None = None
    area: str | None = None
    country: str | None = None
    language: str | None = None
    status: tuple[str, ...] = ()
    urgency: tuple[str, ...] = ()
    requester: int | None = None
    global_south: bool | None = None
    q: str | None = None
    kind: tuple[str, ...] = ()
    provider_kind: tuple[str, ...] = ()
    provider: int | None = None
    need: int | None = None
    offer: int | None = None
    run: int | None = None

    def given(self) -> set[str]:
        return {f.name for f in fields(self) if getattr(self, f.name) not in (None, (), "")}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    chunks: Iterator[bytes]  # the file, produced as it is read: the query runs on the first chunk


def open_export(session: Session, *, actor: Actor | None, dataset: str, fmt: str, filters: ExportFilters) -> Export:
    if dataset not in DATASETS:
        raise InvalidInput(f"Export one of: {', '.join(DATASETS)}.", field="dataset")
    if fmt not in FORMATS:
        raise InvalidInput(f"Export as one of: {', '.join(FORMATS)}.", field="format")
    for name in sorted(filters.given() - APPLIES[dataset]):
        raise InvalidInput(f"The filter '{name}' does not apply to {dataset}.", field=name)
    unknown = [s for s in filters.status if s not in STATUSES.get(dataset, ())]
    if unknown:
        raise InvalidInput(f"The status '{unknown[0]}' is not one of {dataset}'s: "
                           f"{', '.join(STATUSES[dataset])}.", field="status")
    stmt, params = _statement(actor, dataset, filters)
    extension = "csv" if fmt == "hxl" else fmt
    stem = f"capmatch-{dataset}{'-hxl' if fmt == 'hxl' else ''}-{date.today().isoformat()}"
    chunks = formats.write(fmt, COLUMNS[dataset], _rows(session, stmt, params), sheet=dataset)
    return Export(f"{stem}.{extension}", formats.CONTENT_TYPES[fmt], chunks)


def _statement(actor: Actor | None, dataset: str, f: ExportFilters) -> datasets.Statement:
    need_filters = NeedFilters(
        cluster=f.cluster, area=f.area, country=f.country, language=f.language, status=f.status,
        urgency=f.urgency, requester=f.requester, global_south=f.global_south, q=f.q,
    )
    if dataset == "needs":
        return datasets.needs(actor, need_filters)
    if dataset == "offers":
        return datasets.offers(actor, OfferFilters(
            cluster=f.cluster, area=f.area, country=f.country, language=f.language,
            status=f.status or OfferFilters.status, provider_kind=f.provider_kind, global_south=f.global_south,
            kind=f.kind, provider=f.provider, q=f.q,
        ))
    if dataset == "gaps":
        # A run's figures are the secretariat's, as on the run's page.
        return datasets.gaps(require_role(actor, "officer", "admin"), need_filters, run_id=f.run)
    proposal_filters = ProposalFilters(status=f.status, need=f.need, offer=f.offer, run=f.run)
    build = datasets.proposals if dataset == "proposals" else datasets.deployments
    return build(require_actor(actor), proposal_filters)


def _rows(session: Session, stmt: sa.Select, params: dict[str, Any]) -> Iterator[Any]:
    # yield_per reads through a server-side cursor, BATCH rows at a time, rather than the whole result.
    connection = session.connection()
    # A cursor is planned for its first tenth by default, which chose plans that re-read the
    # offers' areas and languages for every row; an export reads every row.
    connection.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1.0"))
    # Given to the statement, not the connection: a connection's options outlive the statement.
    result = connection.execute(stmt, params, execution_options={"yield_per": BATCH})
    try:
        yield from result
    finally:
        result.close()

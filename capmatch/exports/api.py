"""GET /api/v1/exports/{dataset}.{format}: a list's records as CSV, HXL-tagged CSV, JSON or XLSX, streamed."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from capmatch.exports import service
from capmatch.exports.service import ExportFilters
from capmatch.inputs import Id
from capmatch.needs.schemas import Urgency
from capmatch.offers.schemas import OfferKind
from capmatch.organizations.schemas import OrganizationKind
from capmatch.web.deps import MaybeActor, StreamingSession

router = APIRouter()

Dataset = Literal["needs", "offers", "proposals", "deployments", "gaps"]
Format = Literal["csv", "json", "xlsx", "hxl"]

DESCRIPTION = """
The records of a list as a file, with the list's filters and under its access rules: needs and
offers for anyone (offers anonymized unless you may see the expert's name), proposals and
deployments for their parties and the secretariat, gaps (the positions the latest match run left
unfilled, with why) for the secretariat. A filter that the dataset's list does not take is a 422.

`hxl` is CSV whose second row holds HXL 1.1 hashtags, for the Humanitarian Data Exchange. Countries
are ISO 3166-1 alpha-3 codes with their names; dates are ISO 8601; decimals use a dot. The file is
streamed as it is read, whatever its size.
"""

_FILES = {"text/csv": {"schema": {"type": "string"}},
          "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
              "schema": {"type": "string", "format": "binary"}}}


@router.get("/{dataset}.{format}", summary="Export a list as CSV, HXL, JSON or XLSX", description=DESCRIPTION,
            response_class=StreamingResponse, responses={200: {"description": "The file.", "content": _FILES}})
def export_list(
    dataset: Dataset,
    format: Format,  # noqa: A002 - the path's own word
    session: StreamingSession,
    actor: MaybeActor,
    cluster: Annotated[str | None, Query(max_length=40)] = None,
    area: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=3, description="ISO 3166 alpha-3")] = None,
    language: Annotated[str | None, Query(max_length=3, description="ISO 639 code")] = None,
    status: Annotated[list[str] | None, Query(description="repeatable; the dataset's own states")] = None,
    urgency: Annotated[list[Urgency] | None, Query(description="needs, gaps; repeatable")] = None,
    requester: Annotated[Id | None, Query(description="needs, gaps: requesting organization id")] = None,
    global_south: Annotated[bool | None, Query(description="needs, offers, gaps")] = None,
    q: Annotated[str | None, Query(max_length=200, description="needs, offers, gaps: full-text search")] = None,
    kind: Annotated[list[OfferKind] | None, Query(description="offers; repeatable")] = None,
    provider_kind: Annotated[list[OrganizationKind] | None, Query(description="offers; repeatable")] = None,
    provider: Annotated[Id | None, Query(description="offers: providing organization id")] = None,
    need: Annotated[Id | None, Query(description="proposals, deployments: need id")] = None,
    offer: Annotated[Id | None, Query(description="proposals, deployments: offer id")] = None,
    run: Annotated[Id | None, Query(description="proposals; gaps (default: the latest run)")] = None,
):
    filters = ExportFilters(
        cluster=cluster, area=area, country=country, language=language, status=tuple(status or ()),
        urgency=tuple(urgency or ()), requester=requester, global_south=global_south, q=q, kind=tuple(kind or ()),
        provider_kind=tuple(provider_kind or ()), provider=provider, need=need, offer=offer, run=run,
    )
    exported = service.open_export(session, actor=actor, dataset=dataset, fmt=format, filters=filters)
    return StreamingResponse(exported.chunks, media_type=exported.content_type,
                             headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})

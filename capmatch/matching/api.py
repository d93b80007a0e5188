"""JSON API for match runs (officers only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capmatch.inputs import MAX_PAGE, Id
from capmatch.matching import runs
from capmatch.matching import service
from capmatch.matching.schemas import GapOut, ProposalOut, RunCreate, RunOut
from capmatch.proposals import queries as proposal_queries
from capmatch.pagination import MAX_PAGE_SIZE, Page, PageRequest
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()

PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@router.post("", status_code=202, response_model=RunOut)
def start_run(body: RunCreate, session: DbSession, actor: MaybeActor):
    """Queue a match run; poll its URL for status and progress."""
    run = service.create_run(session, actor=actor, request=body)
    runs.enqueue(session, run_id=run.id)
    return RunOut.model_validate(run)


@router.get("", response_model=Page[RunOut])
def list_runs(session: DbSession, actor: MaybeActor, page: PageNo = 1, page_size: PageSize = 25):
    request = PageRequest(page, page_size)
    items, total = service.list_runs(session, actor=actor, page=request)
    return Page[RunOut](items=[RunOut.model_validate(r) for r in items], total=total, page=page,
                        page_size=page_size)


@router.get("/{run_id}", response_model=RunOut)
def get_run(run_id: Id, session: DbSession, actor: MaybeActor):
    return RunOut.model_validate(service.get_run(session, actor=actor, run_id=run_id))


@router.get("/{run_id}/proposals", response_model=Page[ProposalOut])
def run_proposals(
    run_id: Id, session: DbSession, actor: MaybeActor, page: PageNo = 1, page_size: PageSize = 50,
    sort: str = "score", status: str | None = None,
):
    service.get_run(session, actor=actor, run_id=run_id)  # a 404 for an unknown run
    items, total = proposal_queries.run_proposals(
        session, actor=actor, run_id=run_id, page=PageRequest(page, page_size), sort=sort, status=status
    )
    return Page[ProposalOut](items=[ProposalOut(**i._asdict()) for i in items], total=total, page=page,
                             page_size=page_size)


@router.get("/{run_id}/gaps", response_model=Page[GapOut])
def run_gaps(run_id: Id, session: DbSession, actor: MaybeActor, page: PageNo = 1, page_size: PageSize = 50):
    items, total = service.list_run_gaps(session, actor=actor, run_id=run_id, page=PageRequest(page, page_size))
    return Page[GapOut](items=[GapOut(**i) for i in items], total=total, page=page, page_size=page_size)

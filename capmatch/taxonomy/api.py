"""Reference data: capacity clusters and areas, skills, countries, languages (public)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from capmatch.inputs import MAX_PAGE
from capmatch.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest
from capmatch.taxonomy import service, skills
from capmatch.taxonomy.schemas import AreaBrief, AreaOut, ClusterOut, CountryOut, LanguageOut, SkillOut
from capmatch.web.deps import DbSession

router = APIRouter()


def page_request(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="items per page")] = DEFAULT_PAGE_SIZE,
) -> PageRequest:
    return PageRequest(page=page, page_size=page_size)


# Every collection in the API takes page and page_size and answers with Page[...].
PageParams = Annotated[PageRequest, Depends(page_request)]


def page_of(items: list, total: int, page: PageRequest) -> dict:
    return {"items": items, "total": total, "page": page.page, "page_size": page.page_size}


@router.get("/clusters", response_model=Page[ClusterOut], summary="Capacity clusters with their areas")
def list_clusters(session: DbSession, page: PageParams):
    rows, total = service.list_clusters(session, page=page)
    items = [
        ClusterOut(
            code=c.code, name=c.name, name_fr=c.name_fr, cross_cutting=c.cross_cutting,
            areas=[AreaBrief.model_validate(a) for a in areas],
        )
        for c, areas in rows
    ]
    return page_of(items, total, page)


@router.get("/areas", response_model=Page[AreaOut], summary="Capacity areas")
def list_areas(session: DbSession, page: PageParams, cluster: str | None = None):
    areas, total = service.list_areas(session, cluster=cluster, page=page)
    items = [AreaOut(code=a.code, name=a.name, name_fr=a.name_fr, cluster=a.cluster_code) for a in areas]
    return page_of(items, total, page)


@router.get("/countries", response_model=Page[CountryOut], summary="Countries (ISO 3166 alpha-3)")
def list_countries(
    session: DbSession,
    page: PageParams,
    region: Annotated[str | None, Query(description="UN M49 region or sub-region name")] = None,
    global_south: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="part of the name, or an ISO code")] = None,
):
    countries, total = service.list_countries(session, region=region, global_south=global_south, q=q, page=page)
    return page_of([CountryOut.model_validate(c) for c in countries], total, page)


@router.get("/languages", response_model=Page[LanguageOut], summary="Languages (ISO 639-3)")
def list_languages(
    session: DbSession,
    page: PageParams,
    q: Annotated[str | None, Query(max_length=100, description="part of the name, or an ISO code")] = None,
):
    languages, total = service.list_languages(session, q=q, page=page)
    return page_of([LanguageOut.model_validate(lang) for lang in languages], total, page)


@router.get("/skills", response_model=Page[SkillOut], summary="Skills, the controlled vocabulary of each area")
def list_skills(
    session: DbSession,
    page: PageParams,
    area: Annotated[str | None, Query(max_length=40, description="only the skills of this area code")] = None,
    include_retired: Annotated[bool, Query(description="also the retired skills")] = False,
):
    rows, total = skills.list_skills(session, area=area, include_retired=include_retired, page=page)
    items = [SkillOut(code=s.code, name=s.name, name_fr=s.name_fr, areas=areas, retired=s.retired_at is not None)
             for s, areas in rows]
    return page_of(items, total, page)

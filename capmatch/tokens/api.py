"""API tokens over the API: each person lists, creates and revokes their own; the administrator all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capmatch.inputs import Id
from capmatch.pagination import Page
from capmatch.taxonomy.api import PageParams, page_of
from capmatch.tokens import service
from capmatch.tokens.schemas import TokenCreate, TokenCreated, TokenOut
from capmatch.tokens.service import TokenRow
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


def token_out(row: TokenRow) -> TokenOut:
    return TokenOut(id=row.id, name=row.name, status=row.status, created_at=row.created_at,
                    last_used_at=row.last_used_at, expires_at=row.expires_at, revoked_at=row.revoked_at,
                    user_id=row.user_id, user_email=row.user_email, organization_id=row.organization_id)


@router.get("", response_model=Page[TokenOut], summary="List API tokens (your own; the administrator's: all)")
def list_tokens(
    session: DbSession,
    actor: MaybeActor,
    page: PageParams,
    everyone: Annotated[bool, Query(alias="all", description="every user's tokens (administrator)")] = False,
    organization: Annotated[Id | None, Query(description="with all=true: one organization's users' tokens")] = None,
    user: Annotated[Id | None, Query(description="with all=true: one user's tokens")] = None,
    active: Annotated[bool, Query(description="only tokens that still work")] = False,
):
    if everyone:
        rows, total = service.list_all_tokens(session, actor=actor, page=page, organization_id=organization,
                                              user_id=user, active_only=active)
    else:
        rows, total = service.list_own_tokens(session, actor=actor, page=page, active_only=active)
    return page_of([token_out(r) for r in rows], total, page)


@router.post("", response_model=TokenCreated, status_code=201, summary="Create an API token for yourself")
def create_token(body: TokenCreate, session: DbSession, actor: MaybeActor):
    row, secret = service.create_token(session, actor=actor, name=body.name, expires_in_days=body.expires_in_days)
    return TokenCreated(**token_out(row).model_dump(), token=secret)


@router.post("/{token_id}/revoke", response_model=TokenOut, summary="Revoke an API token (yours; any, administrator)")
def revoke_token(token_id: Id, session: DbSession, actor: MaybeActor):
    return token_out(service.revoke_token(session, actor=actor, token_id=token_id))

"""Request-level dependencies: the database session and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.auth.service import actor_for_token
from capmatch.db import get_session
from capmatch.errors import InvalidInput, NotAuthenticated, NotFound
from capmatch.inputs import MAX_PAGE, unstorable
from capmatch.i18n import _

# scope="function" closes the dependency (and so commits) before the response is sent:
# a client never sees success for a write that then failed to commit.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
# A page number from the query string: 1 up to a bound no listing reaches, so a huge number is a
# 422 naming the field rather than an OFFSET PostgreSQL would have to walk.
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]


async def optional_actor(request: Request, session: DbSession) -> Actor | None:
    # Async, with only the token lookup in the thread pool: most requests carry no token, and
    # for them a plain def dependency's hand-off to a thread and back cost more than the answer.
    header = request.headers.get("authorization", "")
    if not header:
        return getattr(request.state, "actor", None)
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(_("The Authorization header must be 'Bearer <token>'."))
    actor = await run_in_threadpool(actor_for_token, session, token=token.strip())
    if actor is None:
        raise NotAuthenticated(_("The bearer token is unknown, expired or revoked."))
    return actor


MaybeActor = Annotated[Actor | None, Depends(optional_actor)]


async def storable_parameters(request: Request) -> None:
    """Every request's query and path values are text PostgreSQL can store (create_app runs it first).
    Async: it does no I/O, and a plain def dependency costs every request two thread hand-offs.

    A NUL in a query value is a 422 naming the parameter; in the path, the address names nothing: 404.
    """
    for name, value in request.query_params.multi_items():
        if message := unstorable(value):
            raise InvalidInput(_("The parameter '{name}' cannot be used. {problem}", name=name, problem=message), field=name)
    for value in request.path_params.values():
        if isinstance(value, str) and unstorable(value):
            raise NotFound(_("There is nothing at this address."))

# A streamed response (an export) is read after its endpoint returns: this session stays open until
# the response is sent (scope="request"). Only reads use it: a write through it would commit after
# the client had been told it succeeded.
StreamingSession = Annotated[Session, Depends(get_session, scope="request")]

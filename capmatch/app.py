"""create_app(): routers, error handlers, static files and templates."""

from __future__ import annotations

import gc

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from capmatch import __version__
from capmatch.config import REPO_ROOT, get_settings
from capmatch.accounts import views as account_views
from capmatch.applications import views as application_views
from capmatch.audit import views as audit_views
from capmatch.auth import admin_views as user_views
from capmatch.auth import views as auth_views
from capmatch.exports import api as exports_api
from capmatch.matching import api as matching_api
from capmatch.matching import policy_api, policy_views
from capmatch.matching import views as matching_views
from capmatch.needs import api as needs_api
from capmatch.needs import views as needs_views
from capmatch.notifications import views as notification_views
from capmatch.offers import api as offers_api
from capmatch.offers import import_views as offer_import_views
from capmatch.offers import views as offers_views
from capmatch.organizations import api as organizations_api
from capmatch.organizations import views as organization_views
from capmatch.people import api as people_api
from capmatch.people import secretariat_views
from capmatch.people import views as people_views
from capmatch.proposals import api as proposals_api
from capmatch.proposals import review_views as proposal_review_views
from capmatch.proposals import views as proposal_views
from capmatch.reports import api as reports_api
from capmatch.reports import views as report_views
from capmatch.taxonomy import api as taxonomy_api
from capmatch.taxonomy import views as taxonomy_views
from capmatch.profiles import views as profile_views
from capmatch.tokens import api as tokens_api
from capmatch.tokens import views as token_views
from capmatch.web import api_docs
from capmatch.web.credentials import WritesNeedCredentials
from capmatch.web.deps import optional_actor, storable_parameters
from capmatch.web.errors import install_error_handlers
from capmatch.web.headers import install_security_headers
from capmatch.web.language import install_language
from capmatch.web.openapi import install_openapi_errors
from capmatch.web.proxies import install_trusted_proxies
from capmatch.web.session import WEB_DEPENDENCIES, install_sessions

API_DESCRIPTION = """
CapMatch matches the civilian expertise that post-conflict countries and peace operations need
with the member states, regional organizations and NGOs that can provide it.

Reads of open needs and anonymized offers are public. Writes need a bearer token
(`capmatch users token EMAIL`), sent as `Authorization: Bearer <token>`.
Errors share one shape: `{"error": {"code", "message", "fields": [{"field", "message"}]}}`.
"""


def create_app() -> FastAPI:
    get_settings()  # fail fast on a bad configuration (e.g. the default secret in production)
    app = FastAPI(
        title="CapMatch",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # served from vendored files by capmatch.web.api_docs
        redoc_url=None,
        # Query and path text PostgreSQL can store, then the session actor and CSRF check, on every route.
        dependencies=[Depends(storable_parameters), *WEB_DEPENDENCIES],
    )
    install_error_handlers(app)
    app.add_middleware(WritesNeedCredentials)  # before install_sessions: it runs inside the session middleware
    install_sessions(app)
    install_language(app)  # outside the sessions: the session may then put the user's own choice first
    install_openapi_errors(app)
    install_trusted_proxies(app)
    install_security_headers(app)  # last: outermost, so every response carries them

    app.include_router(report_views.router)
    app.include_router(auth_views.router)
    # Routes are tried in order: the public lists come first, then the officer's run pages (and
    # the status block htmx polls every second), before the other signed-in areas.
    app.include_router(needs_views.router)
    app.include_router(offers_views.router)
    app.include_router(matching_views.router)
    app.include_router(policy_views.router)
    app.include_router(offer_import_views.router)
    app.include_router(proposal_views.router)
    app.include_router(proposal_review_views.router)
    app.include_router(audit_views.router)
    app.include_router(notification_views.router)
    app.include_router(organization_views.router)
    app.include_router(user_views.router)
    app.include_router(taxonomy_views.router)
    app.include_router(profile_views.router)
    app.include_router(token_views.router)
    app.include_router(account_views.router)
    app.include_router(people_views.router)
    app.include_router(secretariat_views.router)
    app.include_router(application_views.router)

    # After the pages: routes are matched in order, and every page view would otherwise first try
    # each of the API's routes (none of which can match: they all start with /api/v1).
    # Every operation checks a bearer token it is sent (401 when unknown), even where anyone may read.
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(optional_actor)])
    api.include_router(taxonomy_api.router, tags=["taxonomy"])
    api.include_router(organizations_api.router, prefix="/organizations", tags=["organizations"])
    api.include_router(people_api.router, prefix="/organizations", tags=["people"])
    api.include_router(needs_api.router, prefix="/needs", tags=["needs"])
    api.include_router(offers_api.router, prefix="/offers", tags=["offers"])
    api.include_router(matching_api.router, prefix="/match-runs", tags=["matching"])
    api.include_router(policy_api.router, prefix="/policies", tags=["matching"])
    api.include_router(proposals_api.router, prefix="/proposals", tags=["proposals"])
    api.include_router(tokens_api.router, prefix="/tokens", tags=["tokens"])
    api.include_router(reports_api.router, prefix="/reports", tags=["reports"])
    api.include_router(exports_api.router, prefix="/exports", tags=["exports"])
    app.include_router(api)
    app.include_router(api_docs.router)
    app.mount("/static", StaticFiles(directory=str(REPO_ROOT / "static")), name="static")
    return app


def serving_app() -> FastAPI:
    """The app as `capmatch serve` runs it, in each worker process: built, then the collector settled.

    Tests build apps with create_app and keep Python's collector as it is.
    """
    app = create_app()
    settle_garbage_collector()
    return app


def settle_garbage_collector() -> None:
    """Keep the collector's full passes short and rare in a serving process: full collections walked the
    app's ~160,000 long-lived objects, freeing nothing, and stalled a worker for the pages' p95
    (benchmarks/web_notes.md). Frozen, they are not walked; a higher young threshold starts fewer passes.
    """
    gc.collect()  # nothing that is already garbage gets frozen
    gc.freeze()
    gc.set_threshold(20_000, 20, 10)

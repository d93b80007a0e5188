"""create_app(): routers, error handlers, static files and templates."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from capmatch import __version__
from capmatch.config import REPO_ROOT, get_settings
from capmatch.home import views as home_views
from capmatch.needs import api as needs_api
from capmatch.offers import api as offers_api
from capmatch.organizations import api as organizations_api
from capmatch.taxonomy import api as taxonomy_api
from capmatch.web.errors import install_error_handlers

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
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)

    api = APIRouter(prefix="/api/v1")
    api.include_router(taxonomy_api.router, tags=["taxonomy"])
    api.include_router(organizations_api.router, prefix="/organizations", tags=["organizations"])
    api.include_router(needs_api.router, prefix="/needs", tags=["needs"])
    api.include_router(offers_api.router, prefix="/offers", tags=["offers"])
    app.include_router(api)

    app.include_router(home_views.router)
    app.mount("/static", StaticFiles(directory=str(REPO_ROOT / "static")), name="static")
    return app

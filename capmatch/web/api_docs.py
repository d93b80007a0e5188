"""The API's documentation at /docs: Swagger UI from the app's own static files, never a CDN.

FastAPI's own /docs page loads Swagger UI from a CDN and starts it with an inline script, which the
Content-Security-Policy (capmatch.web.headers) refuses; this page loads the files vendored from the
npm package swagger-ui-dist (static/vendor/swagger-ui/) and starts them from static/js/api-docs.js.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def api_docs(request: Request):
    return render(request, "docs/swagger.html", {"openapi_url": request.app.openapi_url})

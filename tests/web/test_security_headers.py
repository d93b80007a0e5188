"""Security headers on every response, and /docs served from the app's own Swagger UI files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capmatch.config import REPO_ROOT
from capmatch.web.headers import security_headers

RESPONSES = {
    "a page": ("GET", "/needs"),
    "an API read": ("GET", "/api/v1/areas"),
    "an API error": ("POST", "/api/v1/needs"),
    "a missing page": ("GET", "/no-such-page"),
    "a missing API route": ("GET", "/api/v1/no-such-thing"),
    "a static file": ("GET", "/static/css/capmatch.css"),
    "the API schema": ("GET", "/openapi.json"),
    "the API documentation": ("GET", "/docs"),
}


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


@pytest.mark.parametrize("what", RESPONSES)
def test_every_response_carries_the_security_headers(client, what):
    method, path = RESPONSES[what]
    response = client.request(method, path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    policy = _directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in " ".join(policy.get("style-src", []) + policy["default-src"])
    # Not over plain HTTP outside production: it would pin browsers to HTTPS for the host.
    assert "strict-transport-security" not in response.headers


def test_strict_transport_security_is_sent_in_production_only():
    assert security_headers(production=True)["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in security_headers(production=False)


def test_no_template_has_an_inline_script_style_or_event_handler():
    # The policy refuses them: one would silently stop working in the browser.
    offenders = []
    for template in (REPO_ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+=", r"javascript:",
                        r"\shx-on"):
            offenders += [f"{template.relative_to(REPO_ROOT)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []


def test_the_api_documentation_loads_only_the_apps_own_files(client):
    response = client.get("/docs")
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        assert url.startswith("http://testserver/static/"), f"{url} is not one of the app's own files"
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content
    assert "<script>" not in response.text  # started from static/js/api-docs.js, not inline
    assert 'data-openapi-url="/openapi.json"' in response.text


def test_the_vendored_swagger_ui_is_the_version_package_json_pins():
    import json

    pinned = json.loads((REPO_ROOT / "package.json").read_text())["dependencies"]["swagger-ui-dist"]
    bundle = Path(REPO_ROOT / "static" / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").read_text()
    assert pinned in (REPO_ROOT / "static" / "vendor" / "README.md").read_text()
    assert "SwaggerUIBundle" in bundle

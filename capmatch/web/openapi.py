"""The API's description of its errors: every operation declares the error statuses it can answer, each
with the one error body that capmatch.web.errors writes.

FastAPI, left alone, declares only a 422 whose body (`HTTPValidationError`) is not the one the app
sends. The statuses follow from what an operation is, so they are declared here once for all of them
rather than on each route:

- any operation: 401 (an unknown or malformed bearer token; a write with no credentials) and 422
  (a parameter or body that does not validate);
- a read: 403 (a role that may not see it) and, when its path names a record, 404;
- a write: also 400 (a body that cannot be parsed), 404 (a record its path or body names does not
  exist), 409 (a state or a concurrent change that forbids it).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

API_PREFIX = "/api/"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
READ_METHODS = frozenset({"get", "head"})

DESCRIPTIONS = {
    400: "The body could not be parsed.",
    401: "No credentials, or a bearer token that is unknown, expired, revoked or malformed.",
    403: "Your role or organization may not do this (or a session's CSRF token is missing).",
    404: "A record the request names does not exist or is not yours to see.",
    409: "The record's state, or a concurrent change, does not allow this now.",
    422: "A parameter or a field of the body is invalid; `fields` names each one.",
}


class ErrorField(BaseModel):
    field: str = Field(description="the parameter or body field, e.g. `languages[0].level`")
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(description="a stable machine-readable code, e.g. `not_found`, `invalid`")
    message: str = Field(description="what went wrong, for a person")
    fields: list[ErrorField] | None = Field(default=None, description="one entry per invalid field, when known")


class ErrorBody(BaseModel):
    """The one error body of the API: `{"error": {"code", "message", "fields": [{"field", "message"}]}}`."""

    error: ErrorDetail


ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


def error_statuses(method: str, path: str) -> tuple[int, ...]:
    names_a_record = "{" in path
    if method in WRITE_METHODS:
        return (400, 401, 403, 404, 409, 422)
    return (401, 403, 404, 422) if names_a_record else (401, 403, 422)


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the error responses to every API operation of an OpenAPI document (idempotent)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(body.pop("$defs", {}))
    components["ErrorBody"] = body
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in operations.items():
            if method not in WRITE_METHODS | READ_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, path):
                responses[str(status)] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
            operation["responses"] = dict(sorted(responses.items()))
    # FastAPI's own validation error shapes are no longer referenced by anything the app sends.
    paths = json.dumps(schema.get("paths", {}))
    for unused in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{unused}" not in paths:
            components.pop(unused, None)
    return schema


def install_openapi_errors(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return declare_errors(generate())

    app.openapi = openapi  # type: ignore[method-assign]

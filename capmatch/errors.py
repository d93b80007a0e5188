"""Domain errors: each carries the HTTP status one handler turns it into."""

from __future__ import annotations


class CapmatchError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class InvalidInput(CapmatchError):
    status = 422
    code = "invalid"


class NotAuthenticated(CapmatchError):
    status = 401
    code = "not_authenticated"


class Forbidden(CapmatchError):
    status = 403
    code = "forbidden"


class NotFound(CapmatchError):
    status = 404
    code = "not_found"


class Conflict(CapmatchError):
    status = 409
    code = "conflict"

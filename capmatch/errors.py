"""Domain errors: each carries the HTTP status one handler turns it into."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
    """Bad input; `problems` holds every one a check found, so a form reports them all at once."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None,
                 more: tuple[InvalidInput, ...] = ()):
        super().__init__(message, field=field, status=status)
        self.problems: list[InvalidInput] = [self, *more]


class Problems:
    """Runs several independent checks and raises one InvalidInput holding every failure."""

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except InvalidInput as exc:
            self.found.extend(exc.problems)

    def raise_any(self) -> None:
        if self.found:
            first, *more = self.found
            raise InvalidInput(first.message, field=first.field, more=tuple(more))


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

"""Domain errors: each carries the HTTP status one handler turns it into."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
                 more: tuple[CapmatchError, ...] = ()):
        super().__init__(message, field=field, status=status)
        self.problems: list[CapmatchError] = [self, *more]


class Problems:
    """Runs several independent checks and raises one error holding every failure.

    A value already taken (a Conflict: a name in use) is collected with the bad input, so a form
    says it with the others; found alone, it is raised as it is, keeping its 409.
    """

    def __init__(self) -> None:
        self.found: list[CapmatchError] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except (InvalidInput, Conflict) as exc:
            self.found.extend(getattr(exc, "problems", [exc]))

    def add(self, message: str, *, field: str) -> None:
        self.found.append(InvalidInput(message, field=field))

    def has(self, field: str) -> bool:
        return any(problem.field == field for problem in self.found)

    def raise_any(self) -> None:
        if len(self.found) == 1 and not isinstance(self.found[0], InvalidInput):
            raise self.found[0]
        if self.found:
            first, *more = self.found
            raise InvalidInput(first.message, field=first.field, more=tuple(more))


def problems_of(check: Callable[[], object]) -> list[CapmatchError]:
    """The problems a check raises, none if it passes: a form shows them with its own errors."""
    try:
        check()
    except (InvalidInput, Conflict) as exc:
        return list(getattr(exc, "problems", [exc]))
    return []


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

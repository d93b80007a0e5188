"""Which language is in use: one per request (or per recipient of a notice), held in a context variable.

The value is a small mutable box rather than the code itself: a request's language is first chosen
from its cookie and Accept-Language header by the middleware, then from the signed-in user's
preference once the session is read, and that second choice must reach the code that runs in
FastAPI's thread pool (which sees a copy of the context, so sees the same box).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from babel import Locale

DEFAULT = "en"
# The interface's languages, each named in itself, as the switcher offers them.
LANGUAGES = {"en": "English", "fr": "Français"}


@dataclass
class Choice:
    code: str = DEFAULT


_choice: ContextVar[Choice | None] = ContextVar("capmatch_language", default=None)
_BABEL = {code: Locale.parse(code) for code in LANGUAGES}


def current() -> str:
    """The language in use here: "en" or "fr"."""
    choice = _choice.get()
    return DEFAULT if choice is None else choice.code


def babel_locale() -> Locale:
    return _BABEL[current()]


def supported(code: str | None) -> str | None:
    """`code` if it is one of the interface's languages ("fr", "fr-CA" -> "fr"), else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def negotiate(accept_language: str | None) -> str | None:
    """The interface language an Accept-Language header prefers most, or None when it names none of ours."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = supported(tag)
        if code and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else None


def begin(code: str) -> Choice:
    """Starts a request's language choice (in the middleware); the returned box may be changed later."""
    choice = Choice(supported(code) or DEFAULT)
    _choice.set(choice)
    return choice


def choose(code: str | None) -> None:
    """Changes the language of the request in progress (the signed-in user's preference)."""
    found = supported(code)
    if found is None:
        return
    choice = _choice.get()
    if choice is None:
        _choice.set(Choice(found))
    else:
        choice.code = found


@contextmanager
def use(code: str | None) -> Iterator[None]:
    """Writes in `code` inside the block: a notice or an e-mail in its recipient's language."""
    token = _choice.set(Choice(supported(code) or DEFAULT))
    try:
        yield
    finally:
        _choice.reset(token)

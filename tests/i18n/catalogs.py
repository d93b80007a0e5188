"""What the tests of the catalogs read: the messages the code and templates mark, and each catalog."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from capmatch.config import REPO_ROOT
from capmatch.i18n.messages import LOCALE_DIR

METHODS = [("capmatch/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}


def _walked(path: str) -> bool:
    """The folders `make messages` reads: all but hidden ones and node_modules (templates/_macros is read)."""
    name = Path(path).name
    return not name.startswith(".") and name != "node_modules"


@cache
def marked() -> dict[tuple[str | None, str], list[str]]:
    """Every message marked in capmatch/ and templates/ -> where (file:line), as `make messages` extracts them."""
    found: dict[tuple[str | None, str], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(REPO_ROOT), METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True, directory_filter=_walked
    ):
        msgid = message[0] if isinstance(message, tuple | list) else message
        if msgid:
            found.setdefault((context, msgid), []).append(f"{filename}:{lineno}")
    return found


@cache
def catalog(path: str) -> Catalog:
    with (LOCALE_DIR / path).open("rb") as fp:
        return read_po(fp)


def template_catalog() -> Catalog:
    return catalog("messages.pot")


def language_catalog(code: str) -> Catalog:
    return catalog(f"{code}/LC_MESSAGES/messages.po")


def key(message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (message.context, msgid)


TEMPLATES = sorted(p.relative_to(REPO_ROOT / "templates").as_posix() for p in (REPO_ROOT / "templates").rglob("*.html"))
TEMPLATE_DIR: Path = REPO_ROOT / "templates"

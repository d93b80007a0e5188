"""The interface's messages in the language in use, from the Babel catalogs under capmatch/locale/.

Python code marks a message with `_()` where it is shown (a view, a notice being written), with
`N_()` where it is defined once and shown later (a table of labels: look it up with `_()` when it
is read), or with `lazy_gettext()` for a constant that is read as text. Placeholders are named and
filled after translation: `_("{count} positions open", count=n)`.

The compiled catalogs (messages.mo) are built by `make`; one that is missing or older than its
messages.po is compiled here in memory instead, so a checkout run without make still speaks French.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

from capmatch.i18n.locales import DEFAULT, LANGUAGES, current

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


@cache
def translations(code: str) -> NullTranslations:
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    if po.exists():
        with po.open("rb") as fp:
            catalog = read_po(fp, locale=code, domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        return Translations(compiled, domain=DOMAIN)
    if code != DEFAULT:
        raise FileNotFoundError(f"no catalog for {LANGUAGES[code]} in {folder}")
    return NullTranslations()


def _fill(text: str, values: dict[str, object]) -> str:
    return text.format(**values) if values else text


def gettext(message: str, /, **values: object) -> str:
    """`message` in the language in use, its {placeholders} filled with `values`."""
    return _fill(translations(current()).gettext(message), values)


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The singular or plural form for `count` in the language in use; {count} is filled too."""
    return _fill(translations(current()).ngettext(singular, plural, count), {"count": count, **values})


def pgettext(context: str, message: str, /, **values: object) -> str:
    """`message` as meant in `context`, where one English word has two French ones."""
    return _fill(translations(current()).pgettext(context, message), values)


def lazy_gettext(message: str, /, **values: object) -> LazyProxy:
    """A message read as text in the language in use at the time it is read, not when it is defined."""
    return LazyProxy(gettext, message, **values, enable_cache=False)


def N_(message: str, /) -> str:  # noqa: N802 (the gettext convention)
    """Marks `message` for the catalogs where it is defined; `_()` translates it where it is shown."""
    return message

"""Dates, numbers and percentages as people read them in the language in use, written by Babel.

One format for the whole interface in each language: "2 Dec 2026" / "2 décembre 2026",
"Dec 2026" / "décembre 2026", "2 Dec 2026, 14:05 UTC" / "2 décembre 2026 à 14:05 UTC",
"28,798" / "28 798", "95.4%" / "95,4 %". Times are in UTC: the marketplace's people work across
every time zone. Exports and the API keep ISO 8601 and dot decimals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from capmatch.i18n.locales import babel_locale, current

EMPTY = "—"

_DAY = {"en": "d MMM y", "fr": "d MMMM y"}
_MONTH = {"en": "MMM y", "fr": "MMMM y"}
_MOMENT = {"en": "{day}, {time} UTC", "fr": "{day} à {time} UTC"}


def day(value: date | datetime | None) -> str:
    written = _date(value, _DAY)
    if current() == "fr" and written.startswith("1 "):
        return "1er" + written[1:]  # French writes the first of the month as an ordinal: 1er mars 2027
    return written


def month(value: date | datetime | None) -> str:
    return _date(value, _MONTH)


def _date(value: date | datetime | None, patterns: dict[str, str]) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        value = utc(value).date()
    return format_date(value, patterns[current()], locale=babel_locale())


def moment(value: datetime | None) -> str:
    """A point in time, in UTC."""
    if value is None:
        return EMPTY
    value = utc(value)
    return _MOMENT[current()].format(day=day(value), time=format_time(value, "HH:mm", locale=babel_locale()))


def number(value: float | int | None, *, digits: int | None = None) -> str:
    """A count or a measure: 28,798 / 28 798; `digits` fixes the decimals shown (1 -> 95.4)."""
    if value is None:
        return EMPTY
    if digits is None:
        return format_decimal(value, locale=babel_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def percent(share: float | None, *, digits: int = 0) -> str:
    """A share of one as a percentage: 0.954 -> "95.4%" (digits=1) / "95,4 %"."""
    if share is None:
        return EMPTY
    standard = babel_locale().percent_formats[None].pattern  # "#,##0%" / "#,##0 %"
    last = standard.rindex("0") + 1
    pattern = standard[:last] + ("." + "0" * digits if digits else "") + standard[last:]
    return format_percent(share, format=pattern, locale=babel_locale())


def typed_day(value: str | date | None) -> date | None:
    """The day a date input holds (ISO 8601, as browsers send it), or None when it holds none or nonsense."""
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def month_abbreviations() -> list[str]:
    """The months as `day` writes them in the language in use, January first ("Dec" / "décembre"):
    static/js/dates.js writes a picked date with them."""
    months = babel_locale().months["format"]["abbreviated" if _DAY[current()].count("M") == 3 else "wide"]
    return [months[number] for number in range(1, 13)]


def first_of_month() -> str:
    """How `day` writes the first of a month: "1", or "1er" in French (static/js/dates.js reads it)."""
    return day(date(2000, 1, 1)).split(" ", 1)[0]


def utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

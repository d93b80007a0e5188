"""Dates as people read them, one format for the whole interface: "2 Dec 2026", "Dec 2026",
"2 Dec 2026, 14:05 UTC". Exports and the API keep ISO 8601."""

from __future__ import annotations

from datetime import UTC, date, datetime

EMPTY = "—"


def day(value: date | datetime | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        value = _utc(value).date()
    return f"{value.day} {value:%b %Y}"


def month(value: date | datetime | None) -> str:
    return EMPTY if value is None else f"{value:%b %Y}"


def moment(value: datetime | None) -> str:
    """A point in time, in UTC: the marketplace's people work across every time zone."""
    if value is None:
        return EMPTY
    value = _utc(value)
    return f"{day(value)}, {value:%H:%M} UTC"


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def typed_day(value: str | date | None) -> date | None:
    """The day a date input holds (ISO 8601, as browsers send it), or None when it holds none or nonsense."""
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def month_abbreviations() -> list[str]:
    """The months as `day` writes them, January first: static/js/dates.js writes a picked date with them."""
    return [f"{date(2000, number, 1):%b}" for number in range(1, 13)]

"""The sentences that say why a need's positions stay open, in the reader's language.

The pure core (core/explain.py) gives each reason a code, a count and plain values (names, ISO
dates, days); a run stores them as they are (run_gaps.reasons) and this module writes the sentence
when it is shown. A reason stored before the values were kept carries only its English "message",
which is shown as it was written.
"""

from __future__ import annotations

from datetime import date
from functools import reduce
from typing import Any

from capmatch.i18n import _, ngettext
from capmatch.i18n.formats import day, number

LISTED_COUNTRIES = 5  # more nationalities than this are summed up as "and 3 more"


def sentence(reason: dict[str, Any]) -> str:
    """The sentence for one stored reason ({"code", "count", "params"})."""
    if "params" not in reason:
        return str(reason.get("message", reason.get("code", "")))
    code, count, params = reason["code"], int(reason.get("count", 0)), reason["params"]
    write = _SENTENCES.get(code)
    if write is None:
        return ngettext("{count} offer removed by {rule}", "{count} offers removed by {rule}", count,
                        count=number(count), rule=code)
    return write(count, params)


def reasons_of(reasons: list[dict[str, Any]]) -> list[str]:
    return [sentence(r) for r in reasons]


def _and(names: list[str]) -> str:
    return reduce(lambda first, second: _("{first} and {second}", first=first, second=second), names)


def _date(iso: str | None) -> str:
    return day(date.fromisoformat(iso)) if iso else _("never")


def _area(count: int, p: dict) -> str:
    if p.get("everywhere"):
        return _("no offer in {area}", area=p["area"])
    return ngettext("{count} offer is not in {area}", "{count} offers are not in {area}", count,
                    count=number(count), area=p["area"])


def _capacity(count: int, p: dict) -> str:
    return ngettext("{count} offer in {area} has no capacity left", "{count} offers in {area} have no capacity left",
                    count, count=number(count), area=p["area"])


def _language(count: int, p: dict) -> str:
    wanted = [_("{language} at {level}", language=name, level=level) for name, level in p.get("languages", [])]
    if not wanted:
        return ngettext("{count} offer in {area} lacks the required languages",
                        "{count} offers in {area} lack the required languages",
                        count, count=number(count), area=p["area"])
    return ngettext("{count} offer in {area} lacks {languages}", "{count} offers in {area} lack {languages}",
                    count, count=number(count), area=p["area"], languages=_and(wanted))


def _arrival(count: int, p: dict) -> str:
    return ngettext("{count} offer cannot be there before {date}", "{count} offers cannot be there before {date}",
                    count, count=number(count), date=_date(p.get("date")))


def _window(count: int, p: dict) -> str:
    return ngettext("{count} offer is not available until {date}", "{count} offers are not available until {date}",
                    count, count=number(count), date=_date(p.get("date")))


def _duration(count: int, p: dict) -> str:
    return ngettext("{count} offer cannot serve {days} days", "{count} offers cannot serve {days} days",
                    count, count=number(count), days=number(p.get("days", 0)))


def _credentials(count: int, p: dict) -> str:
    return ngettext("{count} offer has credentials or screening expiring before {date}",
                    "{count} offers have credentials or screening expiring before {date}",
                    count, count=number(count), date=_date(p.get("date")))


def _provider_kind(count: int, p: dict) -> str:
    return ngettext("{count} offer comes from kinds of provider the need does not accept",
                    "{count} offers come from kinds of provider the need does not accept",
                    count, count=number(count))


def _eligibility(count: int, p: dict) -> str:
    listed = list(p.get("countries", []))
    if not listed:
        return ngettext("{count} offer is not eligible: only nationals of no country",
                        "{count} offers are not eligible: only nationals of no country",
                        count, count=number(count))
    shown = ", ".join(listed[:LISTED_COUNTRIES])
    more = len(listed) - LISTED_COUNTRIES
    if more > 0:
        shown = ngettext("{countries} and {count} more", "{countries} and {count} more", more,
                         countries=shown, count=number(more))
    return ngettext("{count} offer is not eligible: only nationals of {countries}",
                    "{count} offers are not eligible: only nationals of {countries}",
                    count, count=number(count), countries=shown)


def _duty_national(count: int, p: dict) -> str:
    return ngettext("{count} offer is a national of {country}, which the need excludes",
                    "{count} offers are nationals of {country}, which the need excludes",
                    count, count=number(count), country=p["country"])


def _excluded(count: int, p: dict) -> str:
    return ngettext("{count} offer was already rejected for this need",
                    "{count} offers were already rejected for this need", count, count=number(count))


def _outscored(count: int, p: dict) -> str:
    return ngettext("{count} candidate offer went to higher-scoring needs ({needs})",
                    "{count} candidate offers went to higher-scoring needs ({needs})",
                    count, count=number(count), needs=", ".join(str(n) for n in p.get("needs", [])))


def _constrained(count: int, p: dict) -> str:
    return ngettext("{count} candidate offer was left out by the policy constraints",
                    "{count} candidate offers were left out by the policy constraints",
                    count, count=number(count))


def _too_few(count: int, p: dict) -> str:
    positions = int(p.get("positions", 0))
    return ngettext("only {count} offer meets every rule for {positions} positions",
                    "only {count} offers meet every rule for {positions} positions",
                    count, count=number(count), positions=number(positions))


def _winners(count: int, p: dict) -> str:
    return _("Needs that took the contested offers: {needs}", needs=", ".join(str(n) for n in p.get("needs", [])))


_SENTENCES = {
    "area": _area, "capacity": _capacity, "language": _language, "arrival": _arrival, "window": _window,
    "duration": _duration, "credentials": _credentials, "provider_kind": _provider_kind,
    "eligibility": _eligibility, "duty_national": _duty_national, "excluded": _excluded,
    "outscored": _outscored, "constrained": _constrained, "too_few": _too_few, "winners": _winners,
}

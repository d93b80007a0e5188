"""Rendered fragments kept per process: the ones pages repeat most, which bench_load showed cost
the pages their speed when each was rendered afresh (benchmarks/web_notes.md).

The HTML stays in the macros; this only remembers what a macro returned for the same input. A run
page's row is keyed by every value it shows and whether its box is ticked, a score breakdown (and
its one-line bars) by its components and shares, the filter selects' options by the (cached) reference
list and the chosen value; every key carries the language the fragment is written in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

from capmatch.i18n import locales
from capmatch.web.scores import in_order, match_percent

MAX_ENTRIES = 4096


class _Fragments:
    """Markup by key, at most MAX_ENTRIES of them (emptied when full: a cold render is only slower)."""

    def __init__(self, template: str, macro: str):
        self.template, self.macro = template, macro
        self.entries: dict[Hashable, tuple[Any, Markup]] = {}

    def get(self, env: Environment, key: Hashable, source: Any, *args: Any) -> Markup:
        key = (locales.current(), key)
        hit = self.entries.get(key)
        if hit is not None and hit[0] is source:
            return hit[1]
        render: Callable[..., str] = getattr(env.get_template(self.template).module, self.macro)
        html = Markup(render(*args))
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        self.entries[key] = (source, html)
        return html


_breakdowns = _Fragments("_macros/scores.html", "breakdown")
_compacts = _Fragments("_macros/scores.html", "compact")
_run_rows = _Fragments("_macros/proposals.html", "run_row")
_options = _Fragments("_macros/filters.html", "options")


@pass_environment
def score_breakdown(env: Environment, components: Mapping[str, float] | None) -> Markup:
    """_macros/scores.html's breakdown of a proposal's score."""
    if not components:
        return Markup("—")
    return _breakdowns.get(env, tuple(components.items()), None, components)


@pass_environment
def compact_breakdown(env: Environment, components: Mapping[str, float] | None) -> Markup:
    """_macros/scores.html's one-line bars of a proposal's score, in the legend's order."""
    if not components:
        return Markup("—")
    parts = in_order(components)
    return _compacts.get(env, parts, None, parts)


@pass_environment
def run_row(env: Environment, proposal: Any, weights: Mapping[str, Any] | None = None,
            checked: bool = False) -> Markup:
    """_macros/proposals.html's row of a run page for a RunProposal (a named tuple), keyed by every
    value the row shows (the weights are the run's, the same for every row of its page)."""
    breakdown = proposal.breakdown
    key = (proposal._replace(breakdown=tuple(breakdown.items()) if breakdown else None), checked)
    return _run_rows.get(env, key, None, proposal, match_percent(breakdown, weights), checked)


@pass_environment
def select_options(env: Environment, options: Sequence[tuple[Any, Any]], current: str | None) -> Markup:
    """_macros/filters.html's options of a filter select; the list must live on (reference data),
    and is held so that its id is not reused by another list while its entry is kept."""
    return _options.get(env, (id(options), current), options, options, current)


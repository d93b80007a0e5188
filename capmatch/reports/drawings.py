"""Each report's charts, drawn from its figures (the tables beside them are the templates').

The words for codes come from the caller (the page's labels), so this module stays below the web layer;
the figures carry their names in the language in use, and every title, legend and number is written in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from capmatch.i18n import N_, _, formats, ngettext
from capmatch.reports import charts

MAX_BARS = 15

# The fill rate's groupings and their charts' titles.
FILL_TITLES = {
    "by_cluster": N_("Fill rate by cluster"), "by_area": N_("Fill rate by capacity area"),
    "by_mission": N_("Fill rate by mission"), "by_duty_country": N_("Fill rate by duty country"),
}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str


def _fill(f, words) -> list[Chart]:
    out = []
    for key, heading in FILL_TITLES.items():
        rows = getattr(f, key)[:MAX_BARS]
        if rows:
            title = _(heading)
            out.append(Chart(f"fill-{key}", title, charts.bars(
                title, [r.name for r in rows], {_("Fill rate"): [r.rate for r in rows]}, formatter=charts.percent,
                maximum=1, horizontal=True)))
    return out


def _time(f, words) -> list[Chart]:
    labels = [words[m.name] for m in f.milestones]
    title = _("Days from publication")
    return [Chart("time-days", title, charts.bars(title, labels, {
        _("Median"): [m.median_days for m in f.milestones], _("90th percentile"): [m.p90_days for m in f.milestones],
        ngettext("Target ({count} day)", "Target ({count} days)", f.target_days): [f.target_days] * len(labels),
    }))]


def _south(f, words) -> list[Chart]:
    if not f.by_month:
        return []
    title = _("South-South share of filled positions, by month")
    return [Chart("south-by-month", title, charts.lines(
        title, [formats.month(m.first_day) for m in f.by_month],
        {_("South-South share"): [m.share for m in f.by_month]}, formatter=charts.percent, maximum=1))]


def _gender(f, words) -> list[Chart]:
    labels = [words[s.stage] for s in f.stages]
    title = _("Women's share of experts, against the needs' targets")
    return [Chart("gender-stages", title, charts.bars(title, labels, {
        _("Women's share"): [s.share for s in f.stages], _("Target"): [s.target for s in f.stages],
    }, formatter=charts.percent, maximum=1))]


def _contributors(f, words) -> list[Chart]:
    if not f.top:
        return []
    title = _("Positions filled by the largest providers")
    return [Chart("contributors-top", title, charts.bars(
        title, [p.name for p in f.top], {_("Positions filled"): [p.filled for p in f.top]}, horizontal=True))]


def _workflow(f, words) -> list[Chart]:
    labels = [words[r.party] for r in f.responses]
    title = _("Days to answer a step")
    return [Chart("workflow-days", title, charts.bars(title, labels, {
        _("Median"): [r.median_days for r in f.responses], _("90th percentile"): [r.p90_days for r in f.responses],
    }))]


def _gaps(f, words) -> list[Chart]:
    out = []
    unfilled = _("Unfilled positions")
    if f.by_duty_country:
        title = _("Unfilled positions by duty country")
        out.append(Chart("gaps-map", title, charts.world_map(
            title, unfilled, {r.key: r.unfilled for r in f.by_duty_country},
            {r.key: r.name for r in f.by_duty_country})))
    if f.by_area:
        rows = f.by_area[:MAX_BARS]
        title = _("Unfilled positions by capacity area")
        out.append(Chart("gaps-area", title, charts.bars(
            title, [r.name for r in rows], {unfilled: [r.unfilled for r in rows]}, horizontal=True)))
    if f.reasons:
        title = _("Unfilled positions by reason")
        out.append(Chart("gaps-reasons", title, charts.bars(
            title, [words.get(r.code, r.code) for r in f.reasons],
            {unfilled: [r.unfilled for r in f.reasons]}, horizontal=True)))
    return out


def _priorities(f, words) -> list[Chart]:
    if not f.priorities:
        return []
    title = _("Unfilled positions each profile could take")
    labels = [f"{p.rank}. {p.area_name}, {p.region}" for p in f.priorities]
    return [Chart("priorities", title, charts.bars(title, labels, {
        _("Positions open to the profile"): [p.positions for p in f.priorities],
        _("Added beyond higher priorities"): [p.added_positions for p in f.priorities],
    }, horizontal=True))]


DRAW = {"fill-rate": _fill, "time-to-match": _time, "south-south": _south, "gender": _gender,
        "contributors": _contributors, "workflow": _workflow, "gaps": _gaps, "priorities": _priorities}


def charts_of(name: str, figures: Any, words: dict[str, str]) -> list[Chart]:
    return DRAW[name](figures, words)

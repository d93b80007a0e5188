"""Each report's charts, drawn from its figures (the tables beside them are the templates').

The words for codes come from the caller (the page's labels), so this module stays below the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from capmatch.reports import charts

MAX_BARS = 15


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str


def _fill(f, words) -> list[Chart]:
    out = []
    for key, heading in (("by_cluster", "cluster"), ("by_area", "capacity area"), ("by_mission", "mission"),
                         ("by_duty_country", "duty country")):
        rows = getattr(f, key)[:MAX_BARS]
        if rows:
            title = f"Fill rate by {heading}"
            out.append(Chart(f"fill-{key}", title, charts.bars(
                title, [r.name for r in rows], {"Fill rate": [r.rate for r in rows]}, formatter=charts.percent,
                maximum=1, horizontal=True)))
    return out


def _time(f, words) -> list[Chart]:
    labels = [words[m.name] for m in f.milestones]
    title = "Days from publication"
    return [Chart("time-days", title, charts.bars(title, labels, {
        "Median": [m.median_days for m in f.milestones], "90th percentile": [m.p90_days for m in f.milestones],
        f"Target ({f.target_days} days)": [f.target_days] * len(labels),
    }, formatter=lambda v: f"{v:g}"))]


def _south(f, words) -> list[Chart]:
    if not f.by_month:
        return []
    title = "South-South share of filled positions, by month"
    return [Chart("south-by-month", title, charts.lines(
        title, [m.month for m in f.by_month], {"South-South share": [m.share for m in f.by_month]},
        formatter=charts.percent, maximum=1))]


def _gender(f, words) -> list[Chart]:
    labels = [words[s.stage] for s in f.stages]
    title = "Women's share of experts, against the needs' targets"
    return [Chart("gender-stages", title, charts.bars(title, labels, {
        "Women's share": [s.share for s in f.stages], "Target": [s.target for s in f.stages],
    }, formatter=charts.percent, maximum=1))]


def _contributors(f, words) -> list[Chart]:
    if not f.top:
        return []
    title = "Positions filled by the largest providers"
    return [Chart("contributors-top", title, charts.bars(
        title, [p.name for p in f.top], {"Positions filled": [p.filled for p in f.top]}, horizontal=True,
        formatter=lambda v: f"{v:g}"))]


def _workflow(f, words) -> list[Chart]:
    labels = [words[r.party] for r in f.responses]
    title = "Days to answer a step"
    return [Chart("workflow-days", title, charts.bars(title, labels, {
        "Median": [r.median_days for r in f.responses], "90th percentile": [r.p90_days for r in f.responses],
    }, formatter=lambda v: f"{v:g}"))]


def _gaps(f, words) -> list[Chart]:
    out = []
    if f.by_duty_country:
        title = "Unfilled positions by duty country"
        out.append(Chart("gaps-map", title, charts.world_map(
            title, "Unfilled positions", {r.key: r.unfilled for r in f.by_duty_country})))
    if f.by_area:
        rows = f.by_area[:MAX_BARS]
        title = "Unfilled positions by capacity area"
        out.append(Chart("gaps-area", title, charts.bars(
            title, [r.name for r in rows], {"Unfilled positions": [r.unfilled for r in rows]}, horizontal=True,
            formatter=lambda v: f"{v:g}")))
    if f.reasons:
        title = "Unfilled positions by reason"
        out.append(Chart("gaps-reasons", title, charts.bars(
            title, [words.get(r.code, r.code) for r in f.reasons],
            {"Unfilled positions": [r.unfilled for r in f.reasons]}, horizontal=True, formatter=lambda v: f"{v:g}")))
    return out


def _priorities(f, words) -> list[Chart]:
    if not f.priorities:
        return []
    title = "Unfilled positions each profile could take"
    labels = [f"{p.rank}. {p.area_name}, {p.region}" for p in f.priorities]
    return [Chart("priorities", title, charts.bars(title, labels, {
        "Positions open to the profile": [p.positions for p in f.priorities],
        "Added beyond higher priorities": [p.added_positions for p in f.priorities],
    }, horizontal=True, formatter=lambda v: f"{v:g}"))]


DRAW = {"fill-rate": _fill, "time-to-match": _time, "south-south": _south, "gender": _gender,
        "contributors": _contributors, "workflow": _workflow, "gaps": _gaps, "priorities": _priorities}


def charts_of(name: str, figures: Any, words: dict[str, str]) -> list[Chart]:
    return DRAW[name](figures, words)

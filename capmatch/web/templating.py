"""Jinja2 templates shared by every view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.datastructures import URLPath

from capmatch.config import REPO_ROOT, get_settings

templates = Jinja2Templates(directory=str(REPO_ROOT / "templates"))
# Jinja checks every template's file on each use by default, includes and imported macros too.
templates.env.auto_reload = get_settings().template_reload


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200):
    ctx = {"actor": getattr(request.state, "actor", None)}
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


# --- helpers the templates call on every page: in Python, as Jinja loops and lookups cost ----------


_url_paths: dict[tuple[int, str, tuple[tuple[str, Any], ...]], tuple[Any, URLPath]] = {}


@pass_context
def url_for(context: Mapping[str, Any], name: str, /, **path_params: Any):
    """Starlette's url_for (an absolute URL), with the route lookup cached.

    The routes are fixed once the app is built, and finding one walks every router (raising and
    catching NoMatchFound on the way): once per router, name and parameters is enough.
    """
    request: Request = context["request"]
    router = request.scope.get("router") or request.scope["app"]
    try:
        key = (id(router), name, tuple(sorted(path_params.items())))
        cached = _url_paths.get(key)
    except TypeError:  # a parameter that cannot be a key: look it up every time
        return request.url_for(name, **path_params)
    if cached is None or cached[0] is not router:
        if len(_url_paths) > 256:
            _url_paths.clear()
        _url_paths[key] = cached = (router, router.url_path_for(name, **path_params))
    return cached[1].make_absolute_url(request.base_url)


def score_breakdown(breakdown: Mapping[str, float] | None, labels: Mapping[str, str]) -> Markup:
    """A score's components as small bars, largest first, under a summary of the top three.

    Built here rather than in a macro: the run page shows 50 of them, each with 9 components, and
    a Jinja loop escaping every value took a third of the page's time. One loop making each bar and
    the summary's first three (not a list of tuples, then two passes over it) saves another tenth.
    """
    if not breakdown:
        return Markup("—")
    names = _escaped_labels(labels)
    ordered = sorted(breakdown.items(), key=_BY_VALUE, reverse=True)
    items = []
    summary = []
    for key, value in ordered:
        label = names.get(key) or _escaped_label(key)
        pct = round(value * 100)
        items.append(f'<li><span>{label}</span><meter min="0" max="1" value="{value}">{pct}%</meter>'
                     f'<span class="pct">{pct}%</span></li>')
        if len(summary) < 3:
            summary.append(f"{label} {pct}%")
    more = " …" if len(ordered) > 3 else ""
    return Markup(f'<details class="breakdown-details">\n  <summary>{", ".join(summary)}{more}</summary>\n'
                  f'  <ul class="bars">{"".join(items)}</ul>\n</details>')


_BY_VALUE = itemgetter(1)


_labels_html: dict[int, tuple[Mapping[str, str], dict[str, str]]] = {}


def _escaped_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """The labels escaped once, not once per component per row (the same dict comes every time)."""
    cached = _labels_html.get(id(labels))
    if cached is None or cached[0] is not labels:  # an id can be reused once a dict is gone
        if len(_labels_html) > 16:
            _labels_html.clear()
        _labels_html[id(labels)] = cached = (labels, {k: str(escape(v)) for k, v in labels.items()})
    return cached[1]


@lru_cache(maxsize=64)
def _escaped_label(key: str) -> str:
    return str(escape(key.replace("_", " ").capitalize()))


def badge(value: str, kind: str = "") -> Markup:
    """A status as a coloured label; _macros/ui.html exports it as its `badge`, tables call it per row."""
    if type(value) is str and type(kind) is str:
        return _plain_badge(value, kind)  # a status code: one of a handful, each escaped once
    return _badge(value, kind)


def _badge(value: str, kind: str) -> Markup:
    return Markup(f'<span class="badge badge-{escape(kind or value)}">{escape(value.replace("_", " "))}</span>')


# Only plain str keys: a Markup equal to a str would otherwise share its (differently escaped) entry.
_plain_badge = lru_cache(maxsize=256)(_badge)


def proposal_actions(proposal_id: int, proposed: bool) -> Markup:
    """Approve or reject one proposal from inside the page's decision form, and its history.

    In Python for the same reason as score_breakdown: a macro call per row of 50 cost more than the row.
    """
    pid = int(proposal_id)
    history = (f'<a href="/officer/audit?entity=proposal&amp;id={pid}">History'
               f'<span class="visually-hidden"> of proposal {pid}</span></a>')
    if not proposed:
        return Markup(history)
    return Markup(
        f'<button type="submit" name="approve_one" value="{pid}">Approve'
        f'<span class="visually-hidden"> proposal {pid}</span></button>\n'
        f'<button type="submit" name="reject_one" value="{pid}" class="secondary">Reject'
        f'<span class="visually-hidden"> proposal {pid} (give the reason above)</span></button>\n{history}')


def run_proposal_rows(proposals: Sequence[Any], labels: Mapping[str, str]) -> Markup:
    """The rows of a run page's proposals table (officer/run.html), from officer.service.RunProposal.

    In Python for the reason score_breakdown is: 50 rows of a dozen cells each, and Jinja's work
    per value (an attribute lookup, an escape, a yield) was half the page's rendering.
    """
    return Markup("".join([_run_row(p, labels) for p in proposals]))


def _run_row(p: Any, labels: Mapping[str, str]) -> str:
    pid, need_id, proposed = int(p.id), int(p.need_id), p.status == "proposed"
    pick = (f'<input type="checkbox" name="ids" value="{pid}" id="pick-{pid}"><label for="pick-{pid}" '
            f'class="visually-hidden">Select proposal {pid}</label>') if proposed else ""
    return (
        f'<tr id="proposal-{pid}">\n'
        f'  <td class="pick">{pick}</td>\n'
        f'  <th scope="row">{pid}</th>\n'
        f'  <td data-label="Need"><a href="/needs/{need_id}">{escape(p.need_title)}</a> '
        f'<a class="hint" href="/officer/audit?entity=need&amp;id={need_id}">history</a></td>\n'
        f'  <td data-label="Offer"><a href="/offers/{int(p.offer_id)}">{escape(p.offer_title)}</a><br>'
        f'<span class="hint">{escape(p.provider)}</span></td>\n'
        f'  <td data-label="Score" class="num score">{p.score:.3f}</td>\n'
        f'  <td data-label="Breakdown">{score_breakdown(p.breakdown, labels)}</td>\n'
        f'  <td data-label="Status">{badge(p.status)}</td>\n'
        f'  <td data-label="Actions" class="row-actions">{proposal_actions(pid, proposed)}</td>\n'
        f'</tr>\n'
    )


def page_window(page: int, pages: int) -> list[int]:
    """The page numbers pagination may show: the first, the last, and three either side of `page`."""
    return sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})


_options_html: dict[int, tuple[Sequence, str]] = {}


def select_options(options: Sequence[tuple[Any, Any]] = (), current: Any = None,
                   groups: Sequence[tuple[str, Sequence[tuple[Any, Any]]]] | None = None) -> Markup:
    """The <option>s (or <optgroup>s) of a select, `current` selected.

    The filter selects list hundreds of countries and languages from the cached reference data:
    the markup is built once per list and the current value marked by a string replace.
    """
    source = groups if groups is not None else options
    cached = _options_html.get(id(source))
    if cached is None or cached[0] is not source:  # an id can be reused once a list is gone
        if groups is not None:
            html = "".join(f'<optgroup label="{escape(label)}">{_options(group)}</optgroup>' for label, group in groups)
        else:
            html = _options(options)
        if len(_options_html) > 64:
            _options_html.clear()
        _options_html[id(source)] = cached = (source, html)
    html = cached[1]
    if current is not None and str(current) != "":
        plain = f'<option value="{escape(str(current))}">'
        html = html.replace(plain, plain[:-1] + " selected>", 1)
    return Markup(html)


def _options(options: Sequence[tuple[Any, Any]]) -> str:
    return "".join(f'<option value="{escape(str(value))}">{escape(text)}</option>' for value, text in options)


templates.env.globals.update(url_for=url_for, select_options=select_options, score_breakdown=score_breakdown,
                             badge_html=badge, proposal_actions=proposal_actions,
                             run_proposal_rows=run_proposal_rows, page_window=page_window)

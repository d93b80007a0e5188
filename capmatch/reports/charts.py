"""Charts drawn on the server as SVG with pygal, to be placed inline in a page and read without script.

pygal's SVG carries a <style> element, a <script> and a few style="" attributes, all of which the
Content-Security-Policy refuses in a page (style-src 'self', no inline script). So each chart is
cleaned: the script and the tooltips it would drive go, style="" becomes presentation attributes,
and the <style> goes too, its rules served once for every chart from stylesheet() (the chart's id
prefix replaced by the class every pygal chart carries). The world map's outlines are rounded to a
tenth of a unit, a fifth less to send with no visible change.

Every word a chart shows comes from the caller in the language in use (titles, legends, labels), and
its numbers are written by capmatch.i18n.formats: "95,4 %" on the bars and the axis of a French chart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import pygal
from pygal.style import Style
from pygal_maps_world.maps import World

from capmatch.i18n import _, formats

STYLE = Style(
    background="transparent", plot_background="transparent", font_family="system-ui, sans-serif",
    label_font_size=13, major_label_font_size=13, value_font_size=12, legend_font_size=13, title_font_size=16,
    colors=("#1f5f8b", "#d9822b", "#3a8f5c", "#8e44ad", "#c0392b", "#7f8c8d"),
)
COMMON = dict(style=STYLE, js=[], disable_xml_declaration=True, explicit_size=False, width=760, height=360,
              truncate_label=-1, truncate_legend=-1, print_values=True, show_legend=True)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE_ELEMENT = re.compile(r"<style\b.*?</style>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_METADATA = re.compile(r"<(ns\d+:)?metadata\b.*?</(ns\d+:)?metadata>", re.S)
_TOOLTIP = re.compile(r'<g [^>]*class="tooltip"[^>]*>.*?</g>', re.S)
_TOOLTIP_POSITION = re.compile(r'<desc class="[xy] [^"]*">[^<]*</desc>')  # where the script put a tooltip
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_NS_PREFIX = re.compile(r"(</?)ns\d+:")
_NS_DECL = re.compile(r'\sxmlns:ns\d+="[^"]*"')
_CHART_ID = re.compile(r'\sid="chart-[0-9a-f-]+"')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{2,}")
# The world map's own title, in English: the chart's title names it.
_MAP_TITLE = re.compile(r"\s*<title>World Map</title>")
# Presentation attributes SVG accepts as such; any other declaration of a style="" is dropped.
PRESENTATION = {"fill", "fill-opacity", "opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-linejoin"}


def _attributes(match: re.Match) -> str:
    out = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            out.append(f' {name}="{value}"')
    return "".join(out)


def clean(svg: str, *, label: str, round_numbers: bool = False) -> str:
    """pygal's SVG made fit for a page under the Content-Security-Policy, labelled for screen readers."""
    for pattern in (_SCRIPT, _STYLE_ELEMENT, _COMMENT, _METADATA, _TOOLTIP, _TOOLTIP_POSITION):
        svg = pattern.sub("", svg)
    svg = _STYLE_ATTR.sub(_attributes, svg)
    svg = _NS_DECL.sub("", _NS_PREFIX.sub(r"\1", svg))
    svg = _MAP_TITLE.sub("", svg, count=1)
    svg = _CHART_ID.sub("", svg, count=1)
    if round_numbers:
        svg = _LONG_DECIMAL.sub(lambda m: f"{float(m.group(0)):.1f}", svg)
    safe_label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{safe_label}" ', 1)


def _render(chart, title: str, **kw) -> str:
    return clean(chart.render(is_unicode=True), label=title, **kw)


def percent(value: float | None) -> str:
    """A share on a bar or an axis: "95%" / "95 %"."""
    return "" if value is None else formats.percent(value)


def number(value: float | None) -> str:
    """A count or a number of days on a bar or an axis: "1,234" / "1 234", "4.5" / "4,5"."""
    return "" if value is None else formats.number(value)


def _options(title: str, formatter: Callable[[float], str] | None) -> dict:
    # The values on the bars and the axis's graduations alike are written for the language in use.
    return dict(COMMON, title=title, value_formatter=formatter or number, no_data_text=_("No data"))


def bars(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]], *,
         formatter: Callable[[float], str] | None = None, horizontal: bool = False, maximum: float | None = None) -> str:
    """Bars per label, one colour per series; `formatter` writes the values on the bars and the axis."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    options = dict(_options(title, formatter), show_legend=len(series) > 1, x_label_rotation=0 if horizontal else 25)
    if maximum is not None:
        options["range"] = (0, maximum)
    height = max(360, 28 * len(labels) * max(1, len(series)) + 120) if horizontal else 360
    chart = kind(**dict(options, height=height))
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart, title)


def lines(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]], *,
          formatter: Callable[[float], str] | None = None, maximum: float | None = None) -> str:
    options = dict(_options(title, formatter), show_legend=len(series) > 1, x_label_rotation=25, dots_size=4)
    if maximum is not None:
        options["range"] = (0, maximum)
    chart = pygal.Line(**options)
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart, title)


class _NamedWorld(World):
    """pygal's world map, each country named as the page names it (pygal's own names are English)."""

    def __init__(self, names: dict[str, str], **options) -> None:
        super().__init__(**options)
        self.area_names = names

    def _value_format(self, value) -> str:
        code, count = value
        return _("{country}: {value}", country=self.area_names.get(code, code), value=self._y_format(count))


def world_map(title: str, series_name: str, values: dict[str, int], names: dict[str, str]) -> str:
    """Countries shaded by value; keys (of `values` and of `names`) are ISO 3166-1 alpha-2 codes in lower case."""
    chart = _NamedWorld(names, **dict(_options(title, number), height=420, print_values=False, show_legend=False))
    chart.add(series_name, dict(values))
    return _render(chart, title, round_numbers=True)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The rules of every chart's <style>, for every chart at once: served as the charts' stylesheet."""
    samples = []
    bar = pygal.Bar(**dict(COMMON, js=[]))
    for k in range(len(STYLE.colors)):
        bar.add(str(k), [1])
    samples.append(bar.render(is_unicode=True))
    world = World(**dict(COMMON, print_values=False))
    world.add("x", {"fr": 1})
    samples.append(world.render(is_unicode=True))
    rules: list[str] = []
    for svg in samples:
        prefix = re.search(r'id="(chart-[0-9a-f-]+)"', svg).group(1)
        for css in re.findall(r"<style[^>]*>(.*?)</style>", svg, re.S):
            css = css.replace("&gt;", ">").replace(f"#{prefix}", ".pygal-chart")
            if css not in rules:
                rules.append(css)
    return "\n".join(rules) + "\n"


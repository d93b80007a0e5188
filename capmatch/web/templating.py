"""Jinja2 templates shared by every view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.datastructures import URLPath

from capmatch.config import REPO_ROOT, get_settings
from capmatch.i18n import locales
from capmatch.i18n.formats import (
    day, first_of_month, moment, month, month_abbreviations, number, percent, typed_day,
)
from capmatch.i18n.messages import translations
from capmatch.taxonomy.names import country_name, in_language, language_name, region_name
from capmatch.web.fragments import compact_breakdown, run_row, score_breakdown, select_options
from capmatch.web.labels import audit_action, label
from capmatch.web.scores import match_percent, weight_legend

templates = Jinja2Templates(directory=str(REPO_ROOT / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
# Jinja checks every template's file on each use by default, includes and imported macros too.
templates.env.auto_reload = get_settings().template_reload


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200):
    ctx = {"actor": getattr(request.state, "actor", None)}
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


# --- helpers the templates call ------------------------------------------------------------------


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


@pass_context
def path_for(context: Mapping[str, Any], name: str, /, **path_params: Any) -> str:
    """The path of the route called `name`, for a link: the pages link without their host."""
    return url_for(context, name, **path_params).path


def page_window(page: int, pages: int) -> list[int]:
    """The page numbers pagination may show: the first, the last, and three either side of `page`."""
    return sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})


templates.env.globals.update(url_for=url_for, page_window=page_window, run_row=run_row,
                             score_breakdown=score_breakdown, select_options=select_options)
templates.env.globals["path_for"] = path_for
templates.env.globals.update(compact_breakdown=compact_breakdown, match_percent=match_percent,
                             weight_legend=weight_legend)
templates.env.filters["label"] = label
templates.env.filters["audit_action"] = audit_action
templates.env.filters.update(day=day, month=month, moment=moment, typed_day=typed_day)
templates.env.globals.update(month_abbreviations=month_abbreviations, first_of_month=first_of_month)


# Every text a template shows goes through gettext: {{ _("Save") }}, {% trans %}...{% endtrans %}.
# The catalog is looked up when a text is shown, in the language of the request being answered.
templates.env.install_gettext_callables(
    gettext=lambda message: translations(locales.current()).gettext(message),
    ngettext=lambda singular, plural, n: translations(locales.current()).ngettext(singular, plural, n),
    pgettext=lambda context, message: translations(locales.current()).pgettext(context, message),
    npgettext=lambda context, singular, plural, n: translations(locales.current()).npgettext(context, singular, plural, n),
    newstyle=True,
)
templates.env.globals.update(current_language=locales.current, languages=locales.LANGUAGES)
templates.env.filters.update(number=number, percent=percent)

# The reference data's names in the language in use: {{ c.iso3|country_name(c.name) }},
# {{ l.code|language_name(l.name) }}, {{ c.region|region_name }}, {{ a.name|in_language(a.name_fr) }}.
templates.env.filters.update(country_name=country_name, language_name=language_name, region_name=region_name,
                             in_language=in_language)

"""The reference data's names in the language in use: what a page shows for a cluster, an area, a
skill, a country, a language or a region.

Clusters, areas and skills carry their French names in their rows (name_fr). Countries and languages
hold their English names; their French names are pycountry's ISO 3166 and ISO 639-3 catalogs, with
the UN's own short names where ISO's differ (seed/names_fr.csv), which also names the UN M49
regions in French. Names only: codes, exports and the API's data stay as they are.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache
from typing import Any

import pycountry
import sqlalchemy as sa

from capmatch.i18n import current
from capmatch.seed import SEED_DIR
from capmatch.seed.files import read_csv

FRENCH = "fr"
# ISO 639-3's qualifiers that a person does not say: "Swahili (macrolangue)".
_QUALIFIER = re.compile(r"\s*\((macrolangue|langue individuelle)\)$")


def in_language(name: str, name_fr: str | None) -> str:
    """A cluster's, an area's or a skill's name: its French one on a French page, where it has one."""
    return name_fr if name_fr and current() == FRENCH else name


def name_column(model: Any) -> sa.ColumnElement[str]:
    """The name column a query of clusters, areas or skills reads, in the language in use."""
    if current() == FRENCH:
        return sa.func.coalesce(model.name_fr, model.name)
    return model.name


def name_sql(alias: str) -> str:
    """The same for a query written in SQL: the name of the cluster, area or skill row `alias`."""
    return f"coalesce({alias}.name_fr, {alias}.name)" if current() == FRENCH else f"{alias}.name"


def country_name(iso3: str | None, name: str | None = None) -> str:
    """A country's name: `name` (the countries table's) in English, the UN's French name in French."""
    if not iso3:
        return name or ""
    if current() == FRENCH:
        return _french("country").get(iso3.upper()) or _french_countries().get(iso3.upper()) or name or iso3
    return name or _english_country(iso3) or iso3


def language_name(code: str | None, name: str | None = None) -> str:
    """A language's name by its ISO 639-3 code: `name` (the languages table's) in English, French in French."""
    if not code:
        return name or ""
    if current() == FRENCH:
        return _french("language").get(code.lower()) or _french_languages().get(code.lower()) or name or code
    return name or code


def region_name(name: str | None) -> str:
    """A UN M49 region's or sub-region's name (the countries table holds the English one)."""
    if not name:
        return ""
    return _french("region").get(name, name) if current() == FRENCH else name


def sort_key(name: str) -> str:
    """Alphabetical order as a reader expects it: "Égypte" among the E, case and accents aside."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def alphabetical(names: dict[str, str]) -> list[str]:
    """The codes of `names` (code -> name as shown) in the order of their names."""
    return sorted(names, key=lambda code: (sort_key(names[code]), code))


def named_like(names: dict[str, str], q: str) -> list[str]:
    """The codes whose name as shown holds `q`, case and accents aside ("cote" finds Côte d'Ivoire)."""
    wanted = sort_key(q.strip())
    return [code for code, name in names.items() if wanted in sort_key(name)]


@cache
def _french(kind: str) -> dict[str, str]:
    return {row["key"]: row["name_fr"] for row in read_csv(SEED_DIR / "names_fr.csv") if row["kind"] == kind}


@cache
def _catalog(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[FRENCH], fallback=True)


@cache
def _french_countries() -> dict[str, str]:
    catalog = _catalog("iso3166-1")
    return {c.alpha_3: catalog.gettext(c.name) for c in pycountry.countries}


@cache
def _french_languages() -> dict[str, str]:
    catalog = _catalog("iso639-3")
    return {lang.alpha_3: _QUALIFIER.sub("", catalog.gettext(lang.name)) for lang in pycountry.languages}


def _english_country(iso3: str) -> str | None:
    found = pycountry.countries.get(alpha_3=iso3.upper())
    return found.name if found else None

"""Load the reference taxonomies (clusters, areas, skills, countries, languages) from seed/ into their tables.

Every load is an upsert keyed on the natural code, so running it again changes nothing and an
edited data file updates names in place. Rows are never deleted: needs and offers refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from capmatch.models import Area, Cluster, Country, CountryLanguage, Language, Skill, SkillArea
from capmatch.seed import SEED_DIR
from capmatch.seed.files import read_csv


@dataclass(frozen=True)
class TaxonomyCounts:
    clusters: int
    areas: int
    countries: int
    languages: int
    country_languages: int
    skills: int = 0


def _upsert(session: Session, model: type, rows: list[dict], key: list[str], keep: tuple[str, ...] = (),
            fill: tuple[str, ...] = ()) -> None:
    """Insert rows, or update existing ones from them except for the `keep` columns, and the `fill`
    columns only where they are empty."""
    if not rows:
        return
    statement = insert(model).values(rows)
    updates = {name: statement.excluded[name] for name in rows[0]
               if name not in key and name not in keep and name not in fill}
    updates |= {name: sa.func.coalesce(model.__table__.c[name], statement.excluded[name]) for name in fill}
    if updates:
        statement = statement.on_conflict_do_update(index_elements=key, set_=updates)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=key)
    session.execute(statement)


def cluster_rows() -> list[dict]:
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "name_fr": row["name_fr"],
            "position": int(row["position"]),
            "cross_cutting": row["cross_cutting"] == "1",
        }
        for row in read_csv(SEED_DIR / "clusters.csv")
    ]


def area_rows() -> list[dict]:
    return [
        {
            "code": row["code"],
            "cluster_code": row["cluster_code"],
            "name": row["name"],
            "name_fr": row["name_fr"],
            "position": int(row["position"]),
        }
        for row in read_csv(SEED_DIR / "areas.csv")
    ]


def skill_area_rows() -> list[dict]:
    """seed/skills.csv: one row per skill and area; a skill serving several areas has the same names in each."""
    rows = read_csv(SEED_DIR / "skills.csv")
    names: dict[str, tuple[str, str]] = {}
    positions: dict[str, int] = {}
    out = []
    for row in rows:
        code, given = row["code"], (row["name"], row["name_fr"])
        if names.setdefault(code, given) != given:
            raise ValueError(f"seed/skills.csv names the skill {code} in two ways: {names[code]} and {given}")
        position = positions[row["area_code"]] = positions.get(row["area_code"], -1) + 1
        out.append({"area_code": row["area_code"], "skill_code": code, "position": position,
                    "name": row["name"], "name_fr": row["name_fr"] or None})
    return out


def skill_rows() -> list[dict]:
    unique = {row["skill_code"]: row for row in skill_area_rows()}
    return [{"code": code, "name": row["name"], "name_fr": row["name_fr"]} for code, row in unique.items()]


def skills_by_area() -> dict[str, list[str]]:
    """Area code -> its skills' codes in the file's order (the demo and synthetic generators draw from it)."""
    out: dict[str, list[str]] = {}
    for row in skill_area_rows():
        out.setdefault(row["area_code"], []).append(row["skill_code"])
    return out


def country_rows() -> list[dict]:
    """pycountry's ISO 3166-1 list, placed in M49 regions by the shipped classification file.

    sub_region holds the M49 intermediate region where M49 defines one (Western Africa,
    Caribbean...), the sub-region otherwise: "Sub-Saharan Africa" is too coarse for regional fit.
    """
    classification = {row["iso3"]: row for row in read_csv(SEED_DIR / "countries_m49.csv")}
    rows = []
    for country in pycountry.countries:
        entry = classification.get(country.alpha_3)
        if entry is None:
            raise ValueError(f"{country.alpha_3} ({country.name}) is missing from seed/countries_m49.csv")
        rows.append(
            {
                "iso3": country.alpha_3,
                "iso2": country.alpha_2,
                "m49": entry["m49"],
                "name": entry["name"] or country.name,
                "region": entry["region"],
                "sub_region": entry["intermediate_region"] or entry["sub_region"],
                "global_south": entry["global_south"] == "1",
            }
        )
    return rows


# ISO 639's reference names carry qualifiers a person does not say ("Swahili (macrolanguage)",
# "Modern Greek (1453-)"): the names people use instead.
PLAIN_LANGUAGE_NAMES = {
    "ell": "Greek", "ina": "Interlingua", "oci": "Occitan", "ton": "Tongan",
}


def plain_language_name(code: str, name: str) -> str:
    return PLAIN_LANGUAGE_NAMES.get(code) or name.removesuffix(" (macrolanguage)")


def language_rows() -> list[dict]:
    """Every ISO 639 language with a two-letter code, plus the listed extras that have none."""
    rows = {
        language.alpha_3: {"code": language.alpha_3, "iso639_1": language.alpha_2,
                           "name": plain_language_name(language.alpha_3, language.name)}
        for language in pycountry.languages
        if hasattr(language, "alpha_2")
    }
    for extra in read_csv(SEED_DIR / "languages_extra.csv"):
        language = pycountry.languages.get(alpha_3=extra["code"])
        if language is None:
            raise ValueError(f"{extra['code']} in seed/languages_extra.csv is not an ISO 639-3 code")
        rows[extra["code"]] = {
            "code": extra["code"],
            "iso639_1": getattr(language, "alpha_2", None),
            "name": extra["name"] or plain_language_name(extra["code"], language.name),
        }
    return sorted(rows.values(), key=lambda row: row["code"])


def country_language_rows() -> list[dict]:
    return [
        {"country_iso3": row["country_iso3"], "language_code": row["language_code"]}
        for row in read_csv(SEED_DIR / "country_languages.csv")
    ]


def load_taxonomy(session: Session) -> TaxonomyCounts:
    """Upsert all reference data; the caller commits."""
    _upsert(session, Cluster, cluster_rows(), ["code"])
    # Administrators rename areas (the taxonomy page); loading the seed again, as `capmatch demo`
    # does at every start, adds new areas and moves them but leaves the names alone.
    _upsert(session, Area, area_rows(), ["code"], keep=("name", "name_fr"))
    # As for areas: administrators rename and retire skills; a new seed file adds skills and areas to them,
    # and French names to the skills that have none.
    _upsert(session, Skill, skill_rows(), ["code"], keep=("name",), fill=("name_fr",))
    _upsert(session, SkillArea, [{k: r[k] for k in ("skill_code", "area_code", "position")} for r in skill_area_rows()],
            ["skill_code", "area_code"], keep=("position",))
    _upsert(session, Country, country_rows(), ["iso3"])
    _upsert(session, Language, language_rows(), ["code"])
    _upsert(session, CountryLanguage, country_language_rows(), ["country_iso3", "language_code"])
    return taxonomy_counts(session)


def taxonomy_counts(session: Session) -> TaxonomyCounts:
    def count(model: type) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    return TaxonomyCounts(
        clusters=count(Cluster),
        areas=count(Area),
        countries=count(Country),
        languages=count(Language),
        country_languages=count(CountryLanguage),
        skills=count(Skill),
    )

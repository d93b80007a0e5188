"""The reference taxonomies load from seed/ and loading them again changes nothing."""

import csv
from pathlib import Path

import pycountry
import sqlalchemy as sa

from capmatch.models import Area, Cluster, Country, CountryLanguage, Language
from capmatch.seed.taxonomy import load_taxonomy, taxonomy_counts

FIVE_CLUSTERS = {
    "safety_security", "justice", "inclusive_political_processes", "core_government_functionality",
    "economic_revitalization",
}


def test_loading_the_taxonomy_twice_changes_no_counts(session):
    before = taxonomy_counts(session)
    assert load_taxonomy(session) == before
    assert before.countries == len(pycountry.countries)
    assert before.areas >= 28


def test_all_five_clusters_and_the_cross_cutting_one_are_present(session):
    clusters = {c.code: c for c in session.scalars(sa.select(Cluster))}
    assert FIVE_CLUSTERS <= set(clusters)
    assert [c.code for c in clusters.values() if c.cross_cutting] == ["cross_cutting"]
    assert all(c.name_fr for c in clusters.values())


def test_every_area_belongs_to_a_cluster_and_has_a_french_name(session):
    areas = session.scalars(sa.select(Area)).all()
    clusters = set(session.scalars(sa.select(Cluster.code)))
    assert all(area.cluster_code in clusters and area.name_fr for area in areas)
    by_cluster = {code: {a.code for a in areas if a.cluster_code == code} for code in clusters}
    assert {"corrections", "transitional_justice"} <= by_cluster["justice"]
    assert {"human_rights", "gender"} == by_cluster["cross_cutting"]


def test_the_global_south_flag_is_right_for_known_countries(session):
    flags = dict(session.execute(sa.select(Country.iso3, Country.global_south)).all())
    for south in ("IDN", "ZAF", "BRA", "IND", "SSD", "HTI", "TLS", "CHN", "EGY", "FJI"):
        assert flags[south], south
    for north in ("NOR", "DEU", "USA", "JPN", "AUS", "KOR", "ISR", "RUS", "CYP"):
        assert not flags[north], north


def test_countries_carry_their_m49_region_and_sub_region(session):
    south_sudan = session.get(Country, "SSD")
    assert (south_sudan.iso2, south_sudan.m49, south_sudan.region, south_sudan.sub_region) == (
        "SS", "728", "Africa", "Eastern Africa")
    assert session.get(Country, "HTI").sub_region == "Caribbean"
    assert session.get(Country, "ATA").region == "Antarctica"


def test_languages_include_the_two_letter_ones_and_the_listed_extras(session):
    codes = set(session.scalars(sa.select(Language.code)))
    assert {"eng", "fra", "ara", "por", "hat", "sag", "lin", "bam", "ful", "hau", "som", "pus"} <= codes
    assert {"tet", "din", "pga", "prs"} <= codes
    assert session.get(Language, "fra").iso639_1 == "fr"


def test_duty_station_countries_have_local_languages(session):
    local = {tuple(row) for row in session.execute(sa.select(CountryLanguage.country_iso3, CountryLanguage.language_code))}
    for pair in [("SSD", "pga"), ("TLS", "tet"), ("HTI", "hat"), ("COD", "lin"), ("AFG", "prs"), ("CAF", "sag")]:
        assert pair in local
    for country in ("SSD", "LBR", "COD", "SDN", "CIV", "HTI", "TLS", "LBY", "SOM", "MLI", "CAF", "AFG"):
        assert any(c == country for c, _ in local), country


def test_every_country_follows_the_classification_the_file_cites():
    # UNCTAD's developing economies: Africa, Latin America and the Caribbean, Asia except Israel,
    # Japan, the Republic of Korea and Cyprus, Oceania except Australia and New Zealand (with
    # their external territories, the M49 sub-region "Australia and New Zealand").
    path = Path(__file__).resolve().parents[2] / "seed" / "countries_m49.csv"
    rows = list(csv.DictReader(line for line in path.open(encoding="utf-8") if not line.startswith("#")))
    assert {r["iso3"] for r in rows} == {c.alpha_3 for c in pycountry.countries}
    developed_asia = {"ISR", "JPN", "KOR", "CYP"}
    for r in rows:
        region, sub_region = r["region"], r["sub_region"]
        south = (region == "Africa"
                 or (region == "Americas" and sub_region == "Latin America and the Caribbean")
                 or (region == "Asia" and r["iso3"] not in developed_asia)
                 or (region == "Oceania" and sub_region != "Australia and New Zealand"))
        assert r["global_south"] == ("1" if south else "0"), (r["iso3"], region, sub_region)
        assert r["m49"] == pycountry.countries.get(alpha_3=r["iso3"]).numeric, r["iso3"]


def test_language_names_are_the_ones_people_use_without_iso_qualifiers():
    from capmatch.seed.taxonomy import language_rows

    names = {row["code"]: row["name"] for row in language_rows()}
    assert (names["swa"], names["ell"], names["msa"], names["lua"]) == ("Swahili", "Greek", "Malay", "Tshiluba")
    assert [name for name in names.values() if "(" in name] == []


def test_loading_again_gives_french_names_to_skills_without_one_and_keeps_the_others(session):
    from capmatch.models import Skill

    session.execute(sa.update(Skill).where(Skill.code == "customs").values(name_fr=None))
    session.execute(sa.update(Skill).where(Skill.code == "audit").values(name_fr="Audit (renommé)"))
    load_taxonomy(session)
    assert session.scalar(sa.select(Skill.name_fr).where(Skill.code == "customs")) == "Douanes"
    assert session.scalar(sa.select(Skill.name_fr).where(Skill.code == "audit")) == "Audit (renommé)"

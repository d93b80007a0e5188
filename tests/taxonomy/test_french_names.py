"""The reference data's names in the language in use: clusters, areas and skills from their French
columns, countries and languages from pycountry's French catalogs (UN names where ISO's differ), and
the UN M49 regions from seed/names_fr.csv."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.i18n import use
from capmatch.models import Country
from capmatch.seed import SEED_DIR
from capmatch.seed.files import read_csv
from capmatch.taxonomy.names import country_name, in_language, language_name, region_name
from capmatch.taxonomy.service import reference_choices
from tests.factories import make_need, make_user
from tests.web.html import parse

FRENCH = {"Accept-Language": "fr"}


def test_names_follow_the_language_in_use():
    with use("fr"):
        assert country_name("COD", "Democratic Republic of the Congo") == "République démocratique du Congo"
        assert country_name("KOR", "Republic of Korea") == "République de Corée"  # UN order, not ISO's inverted one
        assert country_name("TLS", "Timor-Leste") == "Timor-Leste"  # the UN's name, not ISO's "Timor oriental"
        assert language_name("fra", "French") == "Français"
        assert language_name("swa", "Swahili") == "Swahili"  # without ISO's "(macrolangue)"
        assert region_name("Western Africa") == "Afrique occidentale"
        assert in_language("Corrections", "Administration pénitentiaire") == "Administration pénitentiaire"
        assert in_language("New skill", None) == "New skill"  # no French name yet: the English one
    with use("en"):
        assert country_name("COD", "Democratic Republic of the Congo") == "Democratic Republic of the Congo"
        assert language_name("pga", "Juba Arabic") == "Juba Arabic"
        assert region_name("Western Africa") == "Western Africa"
        assert in_language("Corrections", "Administration pénitentiaire") == "Corrections"


def test_every_region_the_countries_hold_has_a_french_name(session):
    regions = set(session.scalars(sa.select(Country.region))) | set(session.scalars(sa.select(Country.sub_region)))
    named = {row["key"] for row in read_csv(SEED_DIR / "names_fr.csv") if row["kind"] == "region"}
    assert regions <= named, regions - named


def test_the_select_options_are_french_names_in_french_order(session):
    with use("fr"):
        choices = reference_choices(session)
    assert ("SSD", "Soudan du Sud") in choices.countries
    names = [name for _code, name in choices.countries]
    assert names.index("Égypte") < names.index("Érythrée") < names.index("Espagne")  # accents aside
    assert ("safety_security", "Sûreté et sécurité") in choices.clusters
    assert choices.area_names["corrections"] == "Administration pénitentiaire"
    assert choices.skill_name("prison_management") == "Gestion des prisons"
    with use("en"):
        assert reference_choices(session).skill_name("prison_management") == "Prison management"


def test_a_french_need_page_shows_the_area_country_skill_and_language_in_french(client, session):
    need = make_need(session, skills=["prison_management"], languages={"eng": 5})
    session.commit()
    doc = parse(client.get(f"/needs/{need.id}", headers=FRENCH).text)
    text = doc.find("main").text
    for french in ("Administration pénitentiaire", "Soudan du Sud", "Gestion des prisons", "Anglais"):
        assert french in text, french
    for english in ("Corrections", "South Sudan", "Prison management", "English"):
        assert english not in text, english
    listed = parse(client.get("/needs", headers=FRENCH).text)
    options = [o.text for o in listed.find("select", name="country").find_all("option")]
    assert "Soudan du Sud" in options and "Afrique du Sud" in options


def test_the_admin_countries_page_finds_and_names_countries_in_french(client, login, session):
    admin = make_user(session, role="admin", language="fr")
    page = parse(login(admin).get("/admin/taxonomies/countries", params={"q": "cote"}).text)
    rows = [[c.text for c in tr.children if getattr(c, "tag", None) in ("td", "th")]
            for tr in page.find("tbody").find_all("tr")]
    assert rows == [["CIV", "Côte d'Ivoire", "Afrique", "Afrique occidentale", "Oui"]]
    languages = parse(login(admin).get("/admin/taxonomies/languages", params={"q": "anglais"}).text)
    assert [th.text for th in languages.find("tbody").find_all("th")] == ["Anglais"]

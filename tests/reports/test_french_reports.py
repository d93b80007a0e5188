"""The reports in French: titles, tables, numbers and charts read as a French-speaking officer expects,
while the API's figures stay data (English names, dot decimals)."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_user
from tests.reports.world import build_report_world
from tests.web.html import parse

NBSP = "\u00a0"


@pytest.fixture
def world(session):
    return build_report_world(session)


@pytest.fixture
def french_officer(session):
    return make_user(session, role="officer", language="fr")


def svg_texts(figure) -> list[str]:
    """The words and numbers a chart draws (its title, axes, legend and values)."""
    return [t.text for t in figure.iter() if t.tag == "text" and t.text]


def test_a_french_report_page_has_french_titles_tables_and_numbers(client, login, world, french_officer):
    page = login(french_officer).get("/reports/fill-rate")
    assert page.status_code == 200
    doc = parse(page.text)
    assert doc.find("h1").text == "Taux de pourvoi"
    # The page's text read with its spaces collapsed; the spaces French puts before ":" and "%" do not break.
    assert doc.find(data_figure="fill-rate").text == "4 postes pourvus sur 5 : 80,0 %."
    assert f"sur 5{NBSP}: <strong>80,0{NBSP}%</strong>" in page.text
    table = doc.find("section", id="fill-rate").find_all("table")[2]  # by mission
    assert table.find("caption").text == "Taux de pourvoi par mission"
    assert [th.text for th in table.find("thead").find_all("th")] == ["Organisation demandeuse", "Publié", "Pourvu",
                                                                      "Taux de pourvoi"]
    rates = [tr.find_all("td")[-1].text for tr in table.find("tbody").find_all("tr")]
    assert "66,7 %" in rates


def test_a_french_chart_has_french_words_and_locale_numbers(client, login, world, french_officer):
    doc = parse(login(french_officer).get("/reports/time-to-match").text)
    figure = doc.find("figure", id="chart-time-days")
    svg = figure.find("svg")
    assert svg.get("aria-label") == "Jours depuis la publication"
    texts = svg_texts(svg)
    assert "Jours depuis la publication" in texts  # the title
    assert {"Médiane", "90e centile", "Objectif (3 jours)"} <= set(texts)  # the legend
    assert {"Première proposition", "Accord", "Déploiement"} <= set(texts)  # the categories' axis
    assert "1,5" in texts and "4,1" in texts  # the values on the bars, with a decimal comma
    assert not [t for t in texts if re.fullmatch(r"\d+\.\d+", t)]  # no dot decimal anywhere, axis included
    fill_page = parse(login(french_officer).get("/reports/fill-rate").text)
    shares = svg_texts(fill_page.find("figure", id="chart-fill-by_cluster"))
    assert "50 %" in shares and "Taux de pourvoi par pôle" in shares  # the percentage axis, in French


def test_french_charts_name_the_months_and_the_taxonomy_in_french(client, login, world, french_officer):
    doc = parse(login(french_officer).get("/reports").text)
    months = svg_texts(doc.find("figure", id="chart-south-by-month"))
    assert {"mai 2025", "janvier 2026", "mars 2026"} <= set(months)
    areas = svg_texts(doc.find("figure", id="chart-fill-by_area"))
    assert "Administration pénitentiaire" in areas and "Corrections" not in areas
    countries = [th.text for th in doc.find("section", id="fill-rate").find_all("table")[3].find_all("th", scope="row")]
    assert countries == ["Soudan du Sud", "Haïti", "Mali", "République centrafricaine"]


def test_the_api_figures_stay_data_whatever_the_language(client, bearer, world, french_officer):
    answer = client.get("/api/v1/reports/fill-rate", headers={**bearer(french_officer), "Accept-Language": "fr"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["title"] == "Taux de pourvoi"  # what a person reads
    assert [r["name"] for r in body["figures"]["by_area"]] == ["Corrections", "Police"]  # data, in English
    assert body["figures"]["rate"] == 0.8
    refused = client.get("/api/v1/reports/nothing", headers={**bearer(french_officer), "Accept-Language": "fr"})
    assert refused.status_code == 404
    assert "Il n’existe aucun rapport" in refused.text


def test_a_bad_filter_is_named_in_french(client, login, world, french_officer):
    page = login(french_officer).get("/reports", params={"date_from": "2026-13-01"})
    assert page.status_code == 400
    assert parse(page.text).by_id("f-date_from-error").text.endswith("Saisissez le début de la période sous forme de date (AAAA-MM-JJ).")

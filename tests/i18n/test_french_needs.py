"""The needs pages in French: a need form's problems said inline in French, and the needs list and a
need's page writing dates, counts and shares as French does."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from tests.factories import make_need, make_organization, make_user
from tests.web.html import csrf_of, parse

FRENCH = {"Accept-Language": "fr"}
PAST = (date.today() - timedelta(days=3)).isoformat()


def typed(element) -> str:
    """The element's text with its non-breaking spaces kept (French puts one before a colon)."""
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            parts.append(node)
        else:
            for child in node.children:
                walk(child)

    walk(element)
    return re.sub(r"[ \t\n]+", " ", "".join(parts)).strip()


def errors_of(doc) -> dict[str, str]:
    # Each message follows "Erreur :", read by screen readers only.
    return {el.get("id").removesuffix("-error"): re.sub(r"^Erreur\s*:\s*", "", typed(el))
            for el in doc.find_all(class_="error") if (el.get("id") or "").endswith("-error")}


def test_a_french_need_form_with_several_bad_fields_answers_with_french_inline_errors(client, login, session):
    org = make_organization(session, kind="un_entity", may_request=True, may_provide=False, country_iso3="SSD")
    login(make_user(session, role="requester", organization_id=org.id, language="fr"))
    token = csrf_of(parse(client.get("/my/needs/new").text))
    response = client.post("/my/needs/new", headers=FRENCH, follow_redirects=False, data={
        "csrf_token": token, "title": "", "duty_country": "", "area": "", "positions": "0", "start_by": PAST,
        "duration_months": "", "modality": "", "funding": "", "gender_target": "120", "action": "publish",
    })
    assert response.status_code == 400
    doc = parse(response.text)
    assert doc.find("html").get("lang") == "fr"
    errors = errors_of(doc)
    assert errors["f-duty_country"] == "Choisissez le lieu d’affectation."
    assert errors["f-start_by"] == "La date de début au plus tard doit être aujourd’hui ou plus tard."
    assert errors["f-gender_target"] == "Saisissez un pourcentage de 0 à 100, ou laissez le champ vide."
    assert {"f-title", "f-area", "f-positions", "f-duration_months", "f-modality", "f-funding"} <= set(errors)
    assert "9 problèmes" in doc.find(class_="error-summary").text
    # The form around the errors is French too, its option lists included.
    assert doc.find("legend").text == "Le poste"
    assert doc.find("label", for_="f-duty_country").text.startswith("Lieu d’affectation")
    assert doc.find("select", name="modality").find_all("option")[0].text == "Choisir"
    assert doc.find("button", value="publish").text == "Publier"


def test_the_needs_list_writes_dates_and_counts_in_french(client, session):
    make_need(session, title="Conseiller pénitentiaire", start_by=date(2027, 3, 1), answer_by=date(2027, 2, 15),
              positions=3, duration_months=12)
    make_need(session, title="Conseillère électorale", start_by=date(2027, 4, 1), duration_months=1)
    session.commit()
    doc = parse(client.get("/needs", headers=FRENCH).text)
    assert doc.find("html").get("lang") == "fr"
    assert doc.by_id("result-count").text == "2 besoins ouverts"
    row = next(tr for tr in doc.find("tbody").find_all("tr") if "pénitentiaire" in tr.find("th").text)
    cells = {td.get("data-label"): " ".join(td.text.split()) for td in row.find_all("td")}
    assert cells["Réponse attendue d’ici le"] == "15 février 2027"
    assert cells["Début au plus tard le"] == "1er mars 2027 pour 12 mois"
    assert cells["Postes"] == "3"
    other = next(tr for tr in doc.find("tbody").find_all("tr") if "électorale" in tr.find("th").text)
    assert "pour 1 mois" in other.text


def test_a_need_page_writes_its_share_of_women_and_its_duration_in_french(client, session):
    need = make_need(session, gender_target=Decimal("0.5"), duration_months=6, min_years_experience=1)
    session.commit()
    doc = parse(client.get(f"/needs/{need.id}", headers=FRENCH).text)
    assert typed(doc.by_id("gender-target").find("dd")) == ("50\u00a0% de femmes\u00a0: l’appariement favorise les "
                                                          "femmes pour ce besoin")
    facts = {div.find("dt").text: div.find("dd").text for div in doc.find("dl").find_all("div")}
    assert facts["Durée"] == "6 mois"
    assert facts["Expérience minimale"] == "1 an"
    assert facts["Début au plus tard le"] == "1er mars 2027"

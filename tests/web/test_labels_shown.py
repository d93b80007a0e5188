"""No code appears where a label belongs: for every enumeration a page shows, its label is shown.

Each page is rendered with a record in each value of the vocabulary; the label must be in the
visible text and the raw code (those with an underscore, which no word has) must not.
"""

from __future__ import annotations

import pytest

from capmatch.enums import (
    COST_BEARERS, FUNDING, MODALITIES, NEED_STATUSES, OFFER_KINDS, OFFER_STATUSES, ORGANIZATION_KINDS,
    URGENCIES,
)
from capmatch.web.labels import label
from tests.factories import make_need, make_offer, make_organization, make_user
from tests.web.html import parse


def visible(response) -> str:
    assert response.status_code == 200, response.status_code
    doc = parse(response.text)
    main = doc.find("main") or doc
    return " ".join(main.text.split())


def assert_label_shown(text: str, code: str) -> None:
    assert label(code).lower() in text.lower(), f"{label(code)!r} not shown for {code!r}"
    if "_" in code:
        assert code not in text, f"the code {code!r} is shown"


@pytest.fixture
def officer(session, login):
    return login(make_user(session, role="officer"))


NEED_CASES = ([("modality", v) for v in MODALITIES] + [("funding", v) for v in FUNDING]
              + [("urgency", v) for v in URGENCIES] + [("status", v) for v in NEED_STATUSES])


@pytest.mark.parametrize("column,code", NEED_CASES)
def test_a_needs_page_shows_the_word_for_each_of_its_vocabularies(column, code, session, officer):
    need = make_need(session, **{column: code})
    session.commit()
    assert_label_shown(visible(officer.get(f"/needs/{need.id}")), code)


# Gender is left out: the offer's page does not show it.
OFFER_CASES = ([("kind", v) for v in OFFER_KINDS]
               + [("cost_bearer", v) for v in COST_BEARERS] + [("status", v) for v in OFFER_STATUSES if v != "withdrawn"])


@pytest.mark.parametrize("column,code", OFFER_CASES)
def test_an_offers_page_shows_the_word_for_each_of_its_vocabularies(column, code, session, officer):
    offer = make_offer(session, **{column: code})
    session.commit()
    assert_label_shown(visible(officer.get(f"/offers/{offer.id}")), code)


def test_the_organizations_list_shows_every_kind_in_words(session, login):
    admin = login(make_user(session, role="admin"))
    for kind in ORGANIZATION_KINDS:
        make_organization(session, kind=kind)
    session.commit()
    text = visible(admin.get("/admin/organizations"))
    for kind in ORGANIZATION_KINDS:
        assert_label_shown(text, kind)

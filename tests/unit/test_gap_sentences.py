"""The gap explanations' sentences, written from the core's codes and values in the reader's language."""

from __future__ import annotations

from capmatch.i18n import use
from capmatch.matching.gaps import sentence


def reason(code, count, **params):
    return {"code": code, "count": count, "params": params}


def test_the_sentences_read_as_they_always_did_in_english():
    with use("en"):
        assert sentence(reason("area", 3, area="corrections", everywhere=True)) == "no offer in corrections"
        assert sentence(reason("area", 1, area="police", everywhere=False)) == "1 offer is not in police"
        assert sentence(reason("language", 2, area="police", languages=[["French", "C1"], ["Arabic", "B2"]])) == (
            "2 offers in police lack French at C1 and Arabic at B2")
        assert sentence(reason("eligibility", 1, countries=["Mali", "Niger"])) == (
            "1 offer is not eligible: only nationals of Mali, Niger")
        assert sentence(reason("eligibility", 2, countries=list("ABCDEFG"))) == (
            "2 offers are not eligible: only nationals of A, B, C, D, E and 2 more")
        assert sentence(reason("outscored", 2, needs=[4, 9])) == "2 candidate offers went to higher-scoring needs (4, 9)"
        assert sentence(reason("too_few", 2, positions=3)) == "only 2 offers meet every rule for 3 positions"
        assert sentence(reason("arrival", 1, date="2026-12-02")) == "1 offer cannot be there before 2 Dec 2026"
        assert sentence(reason("window", 4, date=None)) == "4 offers are not available until never"


def test_the_sentences_are_written_in_french_with_french_numbers_and_dates():
    with use("fr"):
        assert sentence(reason("area", 3, area="corrections", everywhere=True)) == "aucune offre dans le domaine corrections"
        assert sentence(reason("capacity", 1200, area="police")) == (
            "1\u202f200 offres dans le domaine police n’ont plus de capacité disponible")
        assert sentence(reason("language", 2, area="police", languages=[["French", "C1"], ["Arabic", "B2"]])) == (
            "2 offres dans le domaine police n’ont pas le niveau de langue requis\u00a0: "
            "French au niveau C1 et Arabic au niveau B2")
        assert sentence(reason("arrival", 1, date="2026-12-02")) == (
            "1 offre ne peut pas être sur place avant le 2 décembre 2026")
        assert sentence(reason("too_few", 2, positions=3)) == (
            "seules 2 offres remplissent toutes les règles pour 3 postes")


def test_a_reason_stored_before_the_values_were_kept_shows_its_english_sentence():
    with use("fr"):
        assert sentence({"code": "area", "count": 1, "message": "no offer in police"}) == "no offer in police"

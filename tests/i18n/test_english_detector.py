from tests.i18n.english import leftovers


def test_french_sentences_pass_and_english_ones_are_caught():
    assert leftovers("Besoins ouverts · 12 postes à pourvoir au Mali. Début au plus tard le 2 décembre 2026") == []
    found = leftovers("Besoins ouverts. Save the need")
    assert len(found) == 1 and "save" in found[0] and "the" in found[0]


def test_the_data_people_typed_is_set_aside():
    text = "Conseiller pour la Prison of Juba — organisation : Kenya Prisons Service"
    assert leftovers(text, data=["Prison of Juba", "Kenya Prisons Service"]) == []
    assert leftovers(text) != []

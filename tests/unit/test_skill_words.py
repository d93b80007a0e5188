"""What a person writes for a skill, mapped to the vocabulary's code (no database: the seed file's vocabulary)."""

from __future__ import annotations

import pytest

from capmatch.seed.taxonomy import area_rows, skill_rows, skills_by_area
from capmatch.taxonomy.skill_words import Vocabulary, resolve, resolve_all, spelling_key


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    rows = skill_rows()
    return Vocabulary(
        names={r["code"]: r["name"] for r in rows}, names_fr={},
        areas={a: tuple(codes) for a, codes in skills_by_area().items()},
        area_names={r["code"]: r["name"] for r in area_rows()}, retired=frozenset({"customs"}),
    )


@pytest.mark.parametrize("written", [
    "integrated_border_management", "integrated border management", "Integrated Border Management",
    "  integrated-border-management ", "integrated border managment", "intergrated border management",
])
def test_a_code_a_name_or_a_close_spelling_is_the_skills_code(vocab, written):
    assert resolve(vocab, written, areas=["border_management"]).code == "integrated_border_management"


def test_a_skill_of_another_area_says_which_area_it_belongs_to(vocab):
    found = resolve(vocab, "Prison management", areas=["border_management"])
    assert found.code is None
    assert found.message == "prison_management (Prison management) is a skill of Corrections, not of Border management."


def test_an_unknown_skill_names_the_nearest_codes_of_the_area(vocab):
    found = resolve(vocab, "training of trainers", areas=["corrections"])
    assert found.code is None
    assert found.message.startswith("No skill of Corrections is called 'training of trainers'. Nearest: ")
    nearest = found.message.split("Nearest: ")[1]
    assert "corrections_training (Corrections training)" in nearest and nearest.count("(") == 3


def test_one_code_in_several_areas_is_one_skill_and_a_fragment_is_not_guessed(vocab):
    # "case management" is one code in three areas, so no ambiguity; a bare fragment of two skills is no guess.
    assert resolve(vocab, "case managment", areas=["prosecution", "criminal_justice"]).code == "case_management"
    assert resolve(vocab, "prison", areas=["corrections"]).code is None


def test_a_retired_skill_is_refused_unless_the_record_already_holds_it(vocab):
    refused = resolve(vocab, "customs", areas=["border_management"])
    assert (refused.code, refused.message) == (None, "The skill customs (Customs) is retired: choose another.")
    assert resolve(vocab, "Customs", areas=["border_management"], keep=["customs"]).code == "customs"


def test_resolving_a_list_keeps_the_order_drops_repeats_and_reports_each_unknown(vocab):
    codes, problems = resolve_all(vocab, ["Prison management", "astrology", "prison_management", "Prison security",
                                          "divination"], areas=["corrections"])
    assert codes == ["prison_management", "prison_security"]
    assert [i for i, _message in problems] == [1, 4]


def test_spelling_keys_ignore_case_underscores_hyphens_and_spaces():
    assert spelling_key(" Anti-corruption__strategy  ") == "anti corruption strategy"

"""Every code a page shows has one word, defined in capmatch.web.labels."""

from __future__ import annotations

import pytest

from capmatch import enums
from capmatch.matching.core.policy import COMPONENTS, CONSTRAINTS
from capmatch.web.labels import COMPONENT_LABELS, CONSTRAINT_LABELS, WORDS, label, plain_number

# Every closed vocabulary capmatch.enums defines, found rather than listed, so a new one is covered
# the day it is added. CEFR levels are left out: "B2" is the word a person reads.
VOCABULARIES = sorted(
    name for name, value in vars(enums).items()
    if name.isupper() and isinstance(value, tuple) and name != "CEFR_LEVELS"
)


def test_the_closed_vocabularies_are_all_found():
    assert {"ORGANIZATION_KINDS", "AGREEMENT_FORMS", "ROLES", "MODALITIES", "FUNDING", "COST_BEARERS", "URGENCIES",
            "NEED_STATUSES", "OFFER_KINDS", "OFFER_STATUSES", "GENDERS", "RUN_STATUSES", "SOLVER_OUTCOMES",
            "PROPOSAL_STATUSES"} <= set(VOCABULARIES)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_code_of_a_closed_vocabulary_has_a_word_of_its_own(vocabulary):
    codes = getattr(enums, vocabulary)
    assert [code for code in codes if code not in WORDS] == []
    # label() reads the word, never the fallback that spells the code out.
    assert [code for code in codes if label(code) != WORDS[code]] == []


def test_every_score_component_and_side_constraint_has_a_label_of_its_own():
    assert set(COMPONENT_LABELS) == set(COMPONENTS)
    assert set(CONSTRAINTS) <= set(CONSTRAINT_LABELS)
    # label() reads their own labels: no word of another vocabulary shadows them, none spells the code out.
    assert {name: label(name) for name in COMPONENTS} == {name: COMPONENT_LABELS[name] for name in COMPONENTS}
    assert {name: label(name) for name in CONSTRAINTS} == {name: CONSTRAINT_LABELS[name][0] for name in CONSTRAINTS}


def test_a_code_reads_as_its_word_and_an_unknown_code_as_plain_words():
    assert label("un_entity") == "UN entity"
    assert label("partially_filled") == "Partially filled"
    assert label("south_south") == "South-South"
    assert label("max_provider_share") == "Maximum share of any one provider"
    assert label("roster_import") == "Roster import"


def test_a_policy_number_reads_as_written():
    assert [plain_number(v) for v in (3.0, 0.6, 1.5, 1250000.0, 2)] == ["3", "0.6", "1.5", "1250000", "2"]

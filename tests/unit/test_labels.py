"""Every code a page shows has one word, defined in capmatch.web.labels."""

from __future__ import annotations

import pytest

from capmatch import enums
from capmatch.matching.core.policy import COMPONENTS, CONSTRAINTS
from capmatch.web.labels import COMPONENT_LABELS, CONSTRAINT_LABELS, WORDS, label, plain_number

VOCABULARIES = (
    "ORGANIZATION_KINDS", "AGREEMENT_FORMS", "ROLES", "MODALITIES", "FUNDING", "COST_BEARERS", "URGENCIES",
    "NEED_STATUSES", "OFFER_KINDS", "OFFER_STATUSES", "GENDERS", "RUN_STATUSES", "PROPOSAL_STATUSES",
)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_code_of_a_closed_vocabulary_has_a_word(vocabulary):
    missing = [code for code in getattr(enums, vocabulary) if code not in WORDS]
    assert missing == []


def test_every_score_component_and_side_constraint_has_a_label():
    assert set(COMPONENT_LABELS) == set(COMPONENTS)
    assert set(CONSTRAINTS) <= set(CONSTRAINT_LABELS)


def test_a_code_reads_as_its_word_and_an_unknown_code_as_plain_words():
    assert label("un_entity") == "UN entity"
    assert label("partially_filled") == "Partially filled"
    assert label("south_south") == "South-South"
    assert label("max_provider_share") == "Maximum share of any one provider"
    assert label("roster_import") == "Roster import"


def test_a_policy_number_reads_as_written():
    assert [plain_number(v) for v in (3.0, 0.6, 1.5, 1250000.0, 2)] == ["3", "0.6", "1.5", "1250000", "2"]

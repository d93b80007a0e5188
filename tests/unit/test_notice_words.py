"""The notices of a proposal's steps read as a first-day user reads the pages: each headline names the
state as the pages' badges do, the texts are full sentences in words, never codes."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from capmatch.accounts import emails
from capmatch.proposals import notices
from capmatch.proposals import workflow as wf
from capmatch.web.labels import PARTY_LABELS, WORDS

ALL = {**notices.MESSAGES, **notices.EVENT_MESSAGES}
# Each event's notice, and the state the proposal is in after it.
STATES = {**{state: state for state in notices.MESSAGES}, "cancel_need": "withdrawn", "close_need": "withdrawn"}


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_headline_names_the_state_as_the_pages_do(name):
    headline, _ = ALL[name]
    assert headline.startswith("Proposal {number}")
    assert WORDS[STATES[name]].lower() in headline


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_text_is_full_sentences_without_codes(name):
    _, text = ALL[name]
    filled = text.format(deadline="8 December 2026", party=notices.PARTY_NAMES[wf.REQUESTER],
                         reason=notices.NO_REASON, appraisal=4)
    assert filled[0].isupper() and filled.endswith(".")
    assert "_" not in filled and not re.search(r"\{\w+\}", filled)


def test_the_sides_are_named_as_the_proposals_page_names_them():
    assert notices.PARTY_NAMES == PARTY_LABELS


def test_an_invitation_says_what_the_person_will_do_in_full_sentences():
    for role in ("requester", "provider", "officer", "admin"):
        _, body = emails.invitation(organization="Kenya Prisons Service", role=role, focal_point=role == "provider",
                                    inviter="Olga Officer", link="https://capmatch.example/invitations/x",
                                    expires_at=datetime(2026, 12, 9, 12, 0))
        assert emails.INVITED_AS[role] in body and "_" not in body.split("https://")[0]

"""Accounts tests: the local SMTP server of the notification tests, and reading the links out of mail."""

from __future__ import annotations

import re
from email import message_from_bytes

import pytest

from tests.proposals.test_notifications import settings_for, smtp_server  # noqa: F401  (a fixture)

LINK = re.compile(r"https?://[^/\s]+(/\S+)")


@pytest.fixture
def mailbox(session, smtp_server):  # noqa: F811
    """mailbox() -> every message sent so far through the local SMTP server, as (to, subject, text)."""
    from capmatch.accounts import outbox

    sink, port = smtp_server

    def deliver() -> list[tuple[str, str, str]]:
        outbox.send_pending(session, settings=settings_for(port))
        messages = []
        for envelope in sink.envelopes:
            message = message_from_bytes(envelope.content)
            messages.append((message["To"], message["Subject"], message.get_payload(decode=True).decode()))
        return messages

    return deliver


def link_in(text: str) -> str:
    """The app path of the one link in an e-mail's text."""
    found = LINK.findall(text)
    assert len(found) == 1, text
    return found[0]

"""Who hears of each step, in the app and by e-mail (to a real local SMTP server)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
import sqlalchemy as sa

from capmatch.config import Settings
from capmatch.notifications import mail
from capmatch.notifications.models import Notification
from capmatch.notifications.service import list_notifications, mark_read, notify, unread_count
from capmatch.pagination import PageRequest
from capmatch.proposals import service
from tests.factories import put_proposal

from .conftest import inbox

EVERYONE = ("officer", "admin", "requester", "requester_colleague", "provider", "provider_colleague",
            "rival_provider", "rival_requester")


def act(session, world, who, proposal, action, **kw):
    return service.act(session, actor=world.actor(who), proposal_id=proposal.id, action=action, **kw)


def told(session, world):
    """Who has a notification, and clears everyone's inbox for the next step."""
    people = {who for who in EVERYONE if inbox(session, world.user(who))}
    session.execute(sa.delete(Notification))
    return people


def test_each_step_tells_the_people_who_must_act_or_should_know(session, world):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve")
    assert told(session, world) == {"requester", "requester_colleague", "provider", "provider_colleague"}
    act(session, world, "requester", p, "accept")
    assert told(session, world) == {"provider", "provider_colleague"}
    act(session, world, "provider_colleague", p, "confirm")
    # Both consents given: the requester side and the officers (never the side that just acted).
    assert told(session, world) == {"requester", "requester_colleague", "officer"}
    act(session, world, "provider", p, "deploy")
    assert told(session, world) == {"requester", "requester_colleague", "officer"}
    act(session, world, "requester", p, "complete", appraisal=4)
    assert told(session, world) == {"provider", "provider_colleague", "officer"}


def test_a_decline_tells_the_officers_and_the_other_side(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    act(session, world, "requester", p, "decline", reason="The post was cut.")
    assert told(session, world) == {"officer", "provider", "provider_colleague"}


def test_the_notice_says_what_happened_and_links_to_the_proposal(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    act(session, world, "provider", p, "decline", reason="The expert is on leave.")
    [note] = inbox(session, world.officer)
    assert note.subject == f"Proposal {p.id} is declined ({world.offer.title} for {world.need.title})"
    assert note.body.endswith("The providing organization declined this proposal, so it has ended and the expert "
                              "is free for other needs. The reason given: The expert is on leave.")
    assert note.link == f"/proposals/{p.id}"
    assert world.offer.expert_name not in note.subject + note.body  # no personal data in notices


def test_an_approval_tells_both_sides_the_deadline(session, world):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve", now=datetime(2026, 11, 24, tzinfo=UTC))
    [note] = inbox(session, world.requester)
    assert "by 8 Dec 2026." in note.body  # the interface's one date format


def test_rejection_and_inactive_users_produce_no_notices(session, world):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "reject", reason="Not suitable.")
    assert told(session, world) == set()
    world.requester_colleague.is_active = False
    session.commit()
    act(session, world, "officer", put_proposal(session, world.need, world.offer), "approve")
    assert "requester_colleague" not in told(session, world)


def test_a_user_lists_and_marks_only_their_own_notifications(session, world):
    me, other = world.actor("requester"), world.actor("provider")
    notify(session, user_ids=[me.user_id, me.user_id, other.user_id], subject="One", body="b", link="/x")
    notify(session, user_ids=[me.user_id], subject="Two")
    session.flush()
    rows, total = list_notifications(session, actor=me, page=PageRequest())
    assert total == 2 and [n.subject for n in rows] == ["Two", "One"]
    assert unread_count(session, actor=me) == 2
    theirs = [n.id for n in inbox(session, world.provider)]
    assert mark_read(session, actor=me, notification_ids=[rows[0].id, *theirs]) == 1
    assert unread_count(session, actor=me) == 1 and unread_count(session, actor=other) == 1
    unread, _ = list_notifications(session, actor=me, page=PageRequest(), unread_only=True)
    assert [n.subject for n in unread] == ["One"]
    assert mark_read(session, actor=me) == 1
    assert unread_count(session, actor=me) == 0


# --- e-mail ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (b"capmatch", b"s3cret")
        return AuthResult(success=ok)

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def settings_for(port, **overrides):
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="noreply@capmatch.test",
                    public_url="https://capmatch.test", **overrides)


def test_notifications_are_emailed_once_through_the_configured_server(session, world, smtp_server):
    sink, port = smtp_server
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve")
    settings = settings_for(port, smtp_username="capmatch", smtp_password="s3cret")
    assert mail.send_pending_emails(session, settings=settings) == 4
    recipients = sorted(rcpt for env in sink.envelopes for rcpt in env.rcpt_tos)
    assert recipients == sorted(world.user(w).email for w in
                                ("requester", "requester_colleague", "provider", "provider_colleague"))
    message = message_from_bytes(sink.envelopes[0].content)
    assert message["From"] == "noreply@capmatch.test"
    assert message["Subject"].startswith(f"[CapMatch] Proposal {p.id} is approved: your answer is needed")
    assert f"https://capmatch.test/proposals/{p.id}" in message.get_payload(decode=True).decode()
    assert all(n.emailed_at is not None for n in session.scalars(sa.select(Notification)))
    assert mail.send_pending_emails(session, settings=settings) == 0  # nothing is sent twice
    assert len(sink.envelopes) == 4


def test_without_smtp_nothing_is_sent_and_rows_wait(session, world):
    notify(session, user_ids=[world.requester.id], subject="Hello")
    assert mail.send_pending_emails(session, settings=Settings(smtp_host=None)) == 0
    assert session.scalars(sa.select(Notification.emailed_at)).all() == [None]


def test_an_unreachable_server_leaves_the_rows_for_the_next_run(session, world):
    notify(session, user_ids=[world.requester.id], subject="Hello")
    assert mail.send_pending_emails(session, settings=settings_for(free_port(), smtp_timeout_seconds=2)) == 0
    assert session.scalars(sa.select(Notification.emailed_at)).all() == [None]


def test_old_unsent_notifications_are_not_mailed_when_smtp_is_switched_on(session, world, smtp_server):
    sink, port = smtp_server
    notify(session, user_ids=[world.requester.id], subject="Hello")
    session.flush()
    later = datetime.now(UTC) + timedelta(days=3)
    assert mail.send_pending_emails(session, settings=settings_for(port), now=later) == 0


def test_the_email_job_is_registered_to_run_periodically():
    from capmatch.jobs.app import tasks

    # Once the job app is built, the blueprint's names carry the "capmatch:" namespace.
    assert any(name.split(":")[-1] == "send_notification_emails" for name in tasks.tasks)
    assert any(name.split(":")[-1] == "send_notification_emails"
               for name, _ in tasks.periodic_registry.periodic_tasks)

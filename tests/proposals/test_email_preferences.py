"""Each person's choice of which notices also come by e-mail, honoured by the mail job (on a local SMTP server)."""

from __future__ import annotations

from capmatch.notifications import mail
from capmatch.notifications.preferences import set_email_choices
from capmatch.proposals import service
from tests.factories import make_need, make_offer, put_proposal

from .conftest import inbox
from .test_notifications import settings_for, smtp_server  # noqa: F401  (the SMTP server fixture)

BOTH_SIDES = ("requester", "requester_colleague", "provider", "provider_colleague")


def mailed_to(sink) -> set[str]:
    return {rcpt for envelope in sink.envelopes for rcpt in envelope.rcpt_tos}


def approve(session, world):
    need = make_need(session, requester_org_id=world.mission.id)
    proposal = put_proposal(session, need, make_offer(session, provider_org_id=world.agency.id))
    service.act(session, actor=world.actor("officer"), proposal_id=proposal.id, action="approve")
    return proposal


def test_a_person_who_wants_a_kind_in_the_app_only_gets_no_email_of_it(session, world, smtp_server):  # noqa: F811
    sink, port = smtp_server
    set_email_choices(session, user_id=world.requester.id, choices={"proposal_answer_needed": False})
    approve(session, world)
    assert mail.send_pending_emails(session, settings=settings_for(port)) == 3
    assert mailed_to(sink) == {world.user(w).email for w in BOTH_SIDES if w != "requester"}
    # The notice is still in the app.
    [note] = inbox(session, world.requester)
    assert note.kind == "proposal_answer_needed" and note.email_wanted is False and note.emailed_at is None


def test_other_kinds_still_come_by_email(session, world, smtp_server):  # noqa: F811
    sink, port = smtp_server
    # In the app only for the end of a proposal; an answer needed still comes by e-mail.
    set_email_choices(session, user_id=world.requester.id, choices={"proposal_ended": False})
    approve(session, world)
    assert mail.send_pending_emails(session, settings=settings_for(port)) == 4
    assert world.requester.email in mailed_to(sink)


def test_switching_email_off_stops_what_is_waiting_and_switching_it_on_does_not_mail_the_past(
        session, world, smtp_server):  # noqa: F811
    sink, port = smtp_server
    approve(session, world)  # four notices wait for the mail job
    set_email_choices(session, user_id=world.provider.id, choices={"proposal_answer_needed": False})
    assert mail.send_pending_emails(session, settings=settings_for(port)) == 3
    assert world.provider.email not in mailed_to(sink)
    # Back on: the new notices come by e-mail, the one meant for the app only stays there.
    set_email_choices(session, user_id=world.provider.id, choices={"proposal_answer_needed": True})
    set_email_choices(session, user_id=world.requester.id, choices={"proposal_answer_needed": False})
    assert mail.send_pending_emails(session, settings=settings_for(port)) == 0
    approve(session, world)
    sink.envelopes.clear()
    assert mail.send_pending_emails(session, settings=settings_for(port)) == 3
    assert world.provider.email in mailed_to(sink) and world.requester.email not in mailed_to(sink)


def test_a_notice_of_no_kind_is_always_emailed(session, world, smtp_server):  # noqa: F811
    from capmatch.notifications.service import notify

    sink, port = smtp_server
    set_email_choices(session, user_id=world.requester.id, choices={
        "proposal_answer_needed": False, "proposal_progress": False, "proposal_ended": False})
    notify(session, user_ids=[world.requester.id], subject="About your account")
    assert mail.send_pending_emails(session, settings=settings_for(port)) == 1
    assert mailed_to(sink) == {world.requester.email}

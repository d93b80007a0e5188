"""Account e-mail (invitations, reset links, notices) to addresses that may have no account yet.

Like notifications (capmatch.notifications.mail), a message is a row written in the request's
transaction and sent by a job once that transaction committed, so a rolled-back invitation never
mails a link. The job is queued in the same transaction, so a worker sends the message seconds
after the commit; a periodic run sends whatever an unreachable server left behind. Once sent, the
body (which may hold a one-time link) is blanked.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.accounts.models import OutgoingEmail
from capmatch.config import Settings, get_settings
from capmatch.jobs.app import get_job_app, tasks
from capmatch.notifications.mail import _connect, smtp_configured

log = logging.getLogger(__name__)

SEND_WINDOW = timedelta(days=2)
BATCH_SIZE = 100
TASK = "capmatch:send_account_emails"


def link_url(path: str, *, settings: Settings | None = None) -> str:
    """The absolute address of an app path, for an e-mail (links in the app are relative)."""
    settings = settings or get_settings()
    return settings.public_url.rstrip("/") + path


def queue_email(session: Session, *, to: str, subject: str, body: str) -> OutgoingEmail:
    """Write the message and queue its sending, both in the caller's transaction."""
    row = OutgoingEmail(to_address=to, subject=subject[:200], body=body)
    session.add(row)
    session.flush()  # the row exists before the job that sends it can be seen
    connection = session.connection().connection.dbapi_connection
    get_job_app().configure_task(TASK, connection=connection).defer()
    return row


def send_pending(session: Session, *, settings: Settings | None = None, now: datetime | None = None,
                 limit: int = BATCH_SIZE) -> int:
    """Send up to `limit` unsent messages (SKIP LOCKED: two workers never send one twice); how many went."""
    settings = settings or get_settings()
    if not smtp_configured(settings):
        return 0
    now = now or datetime.now(UTC)
    rows = session.scalars(
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.sent_at.is_(None), OutgoingEmail.created_at > now - SEND_WINDOW)
        .order_by(OutgoingEmail.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return 0
    sent = 0
    try:
        with _connect(settings) as smtp:
            for row in rows:
                try:
                    smtp.send_message(build_message(row, settings=settings))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                    log.warning("account e-mail %s to %s not sent: %s", row.id, row.to_address, exc)
                    continue
                row.sent_at, row.body = now, ""
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP server %s:%s failed after %d account e-mails: %s",
                    settings.smtp_host, settings.smtp_port, sent, exc)
    return sent


def build_message(row: OutgoingEmail, *, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = row.to_address
    message["Subject"] = f"[CapMatch] {row.subject}"
    message.set_content(row.body.strip() + "\n")
    return message


@tasks.periodic(cron="* * * * *", periodic_id="backstop")
@tasks.task(name="send_account_emails", queue="notifications")
def send_account_emails(timestamp: int | None = None) -> None:
    settings = get_settings()
    if not smtp_configured(settings):
        return
    from capmatch.db import session_scope

    with session_scope() as session:
        count = send_pending(session, settings=settings)
    if count:
        log.info("sent %d account e-mails", count)

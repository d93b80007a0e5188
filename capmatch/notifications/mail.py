"""E-mailing notifications, from committed rows only, by a background job.

The request that causes a notification only writes the row; this job, running after that
transaction committed, sends what has not been sent (`emailed_at` is null). The row is already
written in its recipient's language; what the e-mail adds around it is written in that language too. A rolled-back change
therefore never produces an e-mail, and a slow mail server never slows a request. Delivery is at
least once: a worker that dies between sending and committing sends that batch again.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.models import User
from capmatch.config import Settings, get_settings
from capmatch.i18n import _, use
from capmatch.jobs.app import tasks
from capmatch.notifications.models import Notification

log = logging.getLogger(__name__)

# Older unsent rows are left alone: switching SMTP on must not mail out months of history,
# and a recipient the server keeps refusing is not retried for ever.
SEND_WINDOW = timedelta(days=2)
BATCH_SIZE = 200


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    to: str
    subject: str
    body: str
    link: str | None
    language: str | None = None  # the recipient's (users.language); None reads English


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def build_message(item: Outgoing, *, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = item.to
    message["Subject"] = f"[CapMatch] {item.subject}"
    site = settings.public_url.rstrip("/")
    parts = [item.body.strip()]
    with use(item.language):
        if item.link:
            link = item.link if "://" in item.link else site + item.link
            parts.append(_("Open it in CapMatch: {link}", link=link))
        account = f"{site}/account"
        parts.append(_("You receive this e-mail because your account asks for notices of this kind by e-mail. "
                       "Choose which ones on your account page: {account}", account=account))
    message.set_content("\n\n".join(p for p in parts if p) + "\n")
    return message


def send_pending_emails(
    session: Session, *, settings: Settings | None = None, now: datetime | None = None, limit: int = BATCH_SIZE
) -> int:
    """Send up to `limit` unsent notifications and mark them sent; returns how many went out.

    Rows are claimed with SKIP LOCKED, so two workers running this at once send each message once.
    The caller commits (the job does, in its session scope).
    """
    settings = settings or get_settings()
    if not smtp_configured(settings):
        return 0
    now = now or datetime.now(UTC)
    rows = session.execute(
        sa.select(Notification.id, User.email, Notification.subject, Notification.body, Notification.link,
                  User.language)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.emailed_at.is_(None),
            Notification.created_at > now - SEND_WINDOW,
            User.is_active.is_(True),
            Notification.email_wanted.is_(True),  # the recipient's choice (notifications.preferences)
        )
        .order_by(Notification.id)
        .limit(limit)
        .with_for_update(of=Notification, skip_locked=True)
    ).all()
    if not rows:
        return 0
    sent: list[int] = []
    try:
        with _connect(settings) as smtp:
            for row in rows:
                item = Outgoing(*row)
                try:
                    smtp.send_message(build_message(item, settings=settings))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                    # One bad address must not hold back everyone else's mail; retried next run.
                    log.warning("notification %s to %s not sent: %s", item.notification_id, item.to, exc)
                    continue
                sent.append(item.notification_id)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP server %s:%s failed after %d messages: %s",
                    settings.smtp_host, settings.smtp_port, len(sent), exc)
    if sent:
        session.execute(
            sa.update(Notification).where(Notification.id.in_(sent)).values(emailed_at=now),
            execution_options={"synchronize_session": False},
        )
    return len(sent)


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=settings.smtp_timeout_seconds)
    try:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


@tasks.periodic(cron="* * * * *")
@tasks.task(name="send_notification_emails", queue="notifications", queueing_lock="send_notification_emails")
def send_notification_emails(timestamp: int) -> None:
    settings = get_settings()
    if not smtp_configured(settings):
        return
    from capmatch.db import session_scope

    with session_scope() as session:
        count = send_pending_emails(session, settings=settings)
    if count:
        log.info("e-mailed %d notifications", count)

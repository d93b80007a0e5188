"""In-app notifications (and the record of which were e-mailed), and who wants which kind by e-mail."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import sql_in

# The kinds of event a person may choose to hear of in the app only. A notice of no kind (one about
# the person's own account) is always e-mailed.
NOTIFICATION_KINDS = ("proposal_answer_needed", "proposal_progress", "proposal_ended")


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(300))
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    kind: Mapped[str | None] = mapped_column(sa.String(30))
    # The recipient's choice when the event happened: switching e-mail back on later does not mail
    # the notices that were meant for the app only.
    email_wanted: Mapped[bool] = mapped_column(server_default=sa.true())

    __table_args__ = (
        sa.Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),
        sa.CheckConstraint(sql_in("kind", NOTIFICATION_KINDS), name="kind"),
    )


class NotificationPreference(Base):
    """A person's choice for one kind of event; no row means the default, e-mail too."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    email: Mapped[bool]

    __table_args__ = (sa.CheckConstraint(sql_in("kind", NOTIFICATION_KINDS), name="kind"),)

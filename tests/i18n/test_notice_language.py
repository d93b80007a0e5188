"""A notice is written in its recipient's language, whatever the language of the request that caused it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from capmatch.i18n import _, use
from capmatch.i18n.formats import day
from capmatch.notifications.models import Notification
from capmatch.notifications.service import notify
from tests.factories import make_user


def test_each_recipient_reads_the_notice_in_their_own_language(session):
    english = make_user(session, role="officer")
    french = make_user(session, role="officer")
    french.language = "fr"
    session.flush()
    with use("en"):
        notify(session, user_ids=[english.id, french.id], subject=lambda: _("Needs"),
               body=lambda: day(date(2026, 12, 2)))
    rows = {n.user_id: n for n in session.scalars(sa.select(Notification))}
    assert (rows[english.id].subject, rows[english.id].body) == ("Needs", "2 Dec 2026")
    assert (rows[french.id].subject, rows[french.id].body) == ("Besoins", "2 décembre 2026")

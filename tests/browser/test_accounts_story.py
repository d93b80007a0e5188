"""Accounts through a real browser, with the e-mails caught by a local SMTP server the worker sends to.

The administrator invites a focal point from the organization's people page; the invitation's
e-mail link opens in another browser, the person chooses a password and lands signed in. Then a
provider who forgot their password asks for a link from the sign-in page, follows it from the
e-mail, sets a new password and signs in with it.
"""

from __future__ import annotations

import re
import time
from email import message_from_bytes

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.browser.conftest import _free_port, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-harbour-quietly-9"
MAIL_TIMEOUT_SECONDS = 30
LINK = re.compile(r"https?://[^/\s]+(/\S+)")


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append((message["To"], message["Subject"], message.get_payload(decode=True).decode()))
        return "250 Message accepted"

    def wait_for(self, address: str, subject_has: str) -> str:
        """The text of the first message to `address` whose subject says so, waiting for the worker to send it."""
        deadline = time.monotonic() + MAIL_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for to, subject, text in self.messages:
                if to == address and subject_has in subject:
                    return text
            time.sleep(0.25)
        raise AssertionError(f"no e-mail to {address} about {subject_has!r}: {self.messages}")

    def link_to(self, address: str, subject_has: str) -> str:
        """The app path of the link in that message."""
        return LINK.search(self.wait_for(address, subject_has)).group(1)


@pytest.fixture(scope="module")
def smtp_sink():
    from aiosmtpd.controller import Controller

    sink, port = Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(scope="module")
def server_environment(smtp_sink):
    _, port = smtp_sink
    return {"CAPMATCH_SMTP_HOST": "127.0.0.1", "CAPMATCH_SMTP_PORT": str(port),
            "CAPMATCH_SMTP_FROM": "noreply@capmatch.test"}


@pytest.fixture(scope="module")
def accounts(story_database):
    """The story's database plus an administrator and an agency with nobody in it yet."""
    from tests.factories import TEST_PASSWORD, make_organization, make_user

    url, people = story_database
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with Session(engine) as session:
        agency = make_organization(session, name="Ghana Prisons Service (accounts story)", kind="member_state_agency",
                                   country_iso3="GHA", may_provide=True)
        admin = make_user(session, role="admin", full_name="Ada Admin", email="ada@story.example")
        session.commit()
        ids = {"agency": agency.id, "admin": admin.email, "provider": people.provider, "password": TEST_PASSWORD}
    engine.dispose()
    return ids


def open_page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_an_invited_focal_point_chooses_a_password_and_lands_signed_in(browser, live_server, accounts, smtp_sink,
                                                                      shots):
    sink, _ = smtp_sink
    context, page = open_page(browser, live_server)
    sign_in(page, accounts["admin"], accounts["password"])
    page.goto(f"/organizations/{accounts['agency']}/people")
    page.fill("#f-email", "kofi@gps.example")
    page.fill("#f-full_name", "Kofi Mensah")
    page.select_option("#f-role", "provider")
    page.check("#f-is_focal_point")
    shots(page, "accounts-invite-form")
    page.click("text=Send the invitation")
    page.wait_for_load_state()
    assert "An invitation is on its way to kofi@gps.example" in page.inner_text("main")
    shots(page, "accounts-invitation-sent")
    context.close()

    path = sink.link_to("kofi@gps.example", "invited")
    context, page = open_page(browser, live_server)
    page.goto(path)
    assert "kofi@gps.example" in page.inner_text("main")
    page.fill("#f-password", NEW_PASSWORD)
    page.fill("#f-password_again", NEW_PASSWORD)
    shots(page, "accounts-invitation-accept")
    page.click("text=Create my account")
    page.wait_for_load_state()
    assert page.url.endswith("/roster"), page.url
    assert "Welcome to CapMatch" in page.inner_text("main")
    assert page.locator("nav >> text=People").count() == 1  # a focal point manages the organization's people
    shots(page, "accounts-invitation-landed")
    context.close()

    context, page = open_page(browser, live_server)
    page.goto(path)
    assert "already been used" in page.inner_text("main")
    context.close()


def test_a_forgotten_password_is_reset_through_the_emailed_link(browser, live_server, accounts, smtp_sink, shots):
    sink, _ = smtp_sink
    context, page = open_page(browser, live_server)
    page.goto("/login")
    page.click("text=Forgot password?")
    page.wait_for_load_state()
    page.fill("#f-email", accounts["provider"])
    page.click("text=Send me a link")
    page.wait_for_load_state()
    assert "a link to choose a new password is on its way" in page.inner_text("main")
    shots(page, "accounts-forgot-sent")

    page.goto(sink.link_to(accounts["provider"], "Reset"))
    page.fill("#f-password", NEW_PASSWORD)
    page.fill("#f-password_again", NEW_PASSWORD)
    shots(page, "accounts-reset-form")
    page.click("text=Save my new password")
    page.wait_for_load_state()
    assert page.url.endswith("/roster"), page.url
    assert "Your new password is set" in page.inner_text("main")
    context.close()

    assert "Every other session" in sink.wait_for(accounts["provider"], "password was changed")
    context, page = open_page(browser, live_server)
    sign_in(page, accounts["provider"], NEW_PASSWORD)
    shots(page, "accounts-signed-in-with-new-password")
    context.close()

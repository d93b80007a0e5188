"""The words of every account e-mail, in one place, written in the language in use.

Each function returns (subject, body); capmatch.accounts.outbox sends them. The caller writes an
e-mail to a person with an account inside `use(user.language)`, so it reaches them in their own
language; an invitation or an application's answer goes to someone without one and is written
in the language of the request that sends it.
"""

from __future__ import annotations

from datetime import datetime

from capmatch.i18n import N_, _
from capmatch.i18n.formats import moment

# What a person invited will do, said to someone who has never seen CapMatch.
INVITED_AS = {
    "requester": N_("You will post your organization's needs for experts and answer the proposals made for them."),
    "provider": N_("You will list your organization's experts and offers, and answer the proposals made for them."),
    "officer": N_("As a matching officer of the secretariat, you will run the matching and approve or reject its "
                  "proposals."),
    "admin": N_("As an administrator, you will manage the organizations, the people and the vocabularies of "
                "CapMatch."),
}
FOCAL_POINT = N_("As your organization's focal point, you will also invite its other people and manage their "
                 "accounts.")
# How the password was changed, by the audit action that recorded it.
PASSWORD_CHANGES = {
    "password_reset": N_("The password of your CapMatch account was changed through the reset link e-mailed to you."),
    "password_change": N_("The password of your CapMatch account was changed by someone signed in to it."),
}


def _signed(body: str) -> str:
    return body + "\n\n" + _("The CapMatch secretariat")


def invitation(*, organization: str | None, role: str, focal_point: bool, inviter: str | None, link: str,
               expires_at: datetime) -> tuple[str, str]:
    """`inviter` is the inviting person's address, None when the secretariat invites (an accepted application)."""
    duties = " ".join(_(text) for text in (INVITED_AS.get(role), FOCAL_POINT if focal_point else None) if text)
    values = {"inviter": inviter or _("The CapMatch secretariat"), "duties": duties, "link": link,
              "until": moment(expires_at)}
    if organization:
        subject = _("You are invited to CapMatch for {organization}", organization=organization)
        opening = _("{inviter} invites you to CapMatch for {organization}.", organization=organization, **values)
    else:
        subject = _("You are invited to CapMatch for the CapMatch secretariat")
        opening = _("{inviter} invites you to CapMatch for the CapMatch secretariat.", **values)
    body = opening + " " + _(
        "CapMatch is the marketplace where missions and host governments that need civilian experts meet the "
        "organizations that offer them. {duties}\n\n"
        "To create your account, open this link and choose your password:\n{link}\n\n"
        "The link works once, until {until}. If you did not expect this invitation, ignore this e-mail.", **values)
    return subject, _signed(body)


def password_reset(*, link: str, expires_at: datetime) -> tuple[str, str]:
    body = _(
        "Someone asked to reset the password of your CapMatch account. To choose a new password, open:\n"
        "{link}\n\nThe link works once, until {until}. If you did not ask, ignore this e-mail: "
        "your password stays as it is.", link=link, until=moment(expires_at))
    return _("Reset your password"), _signed(body)


def password_changed(*, action: str) -> tuple[str, str]:
    body = _(
        "{how} Every other session signed in with the old password has ended.\n\n"
        "If this was not you, reset your password at once from the sign-in page and tell the secretariat.",
        how=_(PASSWORD_CHANGES[action]))
    return _("Your password was changed"), _signed(body)


def email_change_confirm(*, old_email: str, link: str, expires_at: datetime) -> tuple[str, str]:
    body = _(
        "The CapMatch account {old_email} asks to use this address from now on. To confirm, open:\n{link}\n\n"
        "The link works once, until {until}. If you did not ask, ignore this e-mail.",
        old_email=old_email, link=link, until=moment(expires_at))
    return _("Confirm your new e-mail address"), _signed(body)


def email_change_notice(*, new_email: str) -> tuple[str, str]:
    body = _(
        "Someone signed in to your CapMatch account asked to change its e-mail address to {new_email}. Nothing "
        "changes until the link sent to that address is opened.\n\nIf this was not you, change your password and "
        "tell the secretariat.", new_email=new_email)
    return _("Someone asked to change your e-mail address"), _signed(body)


def email_changed(*, new_email: str) -> tuple[str, str]:
    body = _("Your CapMatch account now signs in with {new_email}, and this address is no longer used for it.\n\n"
             "If this was not you, tell the secretariat at once.", new_email=new_email)
    return _("Your e-mail address was changed"), _signed(body)


def application_received(*, name: str) -> tuple[str, str]:
    body = _(
        "Thank you: the CapMatch secretariat has received the application of {name} to join the marketplace. "
        "Nothing you wrote is public. Once the secretariat has reviewed it, you will hear from us by e-mail: an "
        "invitation to create your account, or the reason we cannot accept it yet.", name=name)
    return _("Application received: {name}", name=name), _signed(body)


def application_declined(*, name: str, reason: str) -> tuple[str, str]:
    body = _(
        "The CapMatch secretariat has reviewed the application of {name} and cannot accept it now, for this "
        "reason:\n\n{reason}\n\nYou may apply again once this is resolved.", name=name, reason=reason)
    return _("Your application for {name} was not accepted", name=name), _signed(body)

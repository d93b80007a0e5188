"""The words of every account e-mail, in one place (ready for a catalog when the French issue lands).

Each function returns (subject, body); capmatch.accounts.outbox sends them.
"""

from __future__ import annotations

from datetime import datetime

SIGNATURE = "\n\nThe CapMatch secretariat"
# What a person invited will do, said to someone who has never seen CapMatch.
INVITED_AS = {
    "requester": "You will post your organization's needs for experts and answer the proposals made for them.",
    "provider": "You will list your organization's experts and offers, and answer the proposals made for them.",
    "officer": "As a matching officer of the secretariat, you will run the matching and approve or reject its "
               "proposals.",
    "admin": "As an administrator, you will manage the organizations, the people and the vocabularies of CapMatch.",
}
FOCAL_POINT = "As your organization's focal point, you will also invite its other people and manage their accounts."


def _day(moment: datetime) -> str:
    return moment.strftime("%d %B %Y, %H:%M UTC")


def invitation(*, organization: str | None, role: str, focal_point: bool, inviter: str, link: str,
               expires_at: datetime) -> tuple[str, str]:
    where = organization or "the CapMatch secretariat"
    duties = " ".join(filter(None, (INVITED_AS.get(role, ""), FOCAL_POINT if focal_point else "")))
    body = (
        f"{inviter} invites you to CapMatch for {where}. CapMatch is the marketplace where missions and host "
        f"governments that need civilian experts meet the organizations that offer them. {duties}\n\n"
        f"To create your account, open this link and choose your password:\n{link}\n\n"
        f"The link works once, until {_day(expires_at)}. If you did not expect this invitation, ignore this e-mail."
    )
    return f"You are invited to CapMatch for {where}", body + SIGNATURE


def password_reset(*, link: str, expires_at: datetime) -> tuple[str, str]:
    body = (
        "Someone asked to reset the password of your CapMatch account. To choose a new password, open:\n"
        f"{link}\n\nThe link works once, until {_day(expires_at)}. If you did not ask, ignore this e-mail: "
        "your password stays as it is."
    )
    return "Reset your password", body + SIGNATURE


# How the password was changed, by the audit action that recorded it.
PASSWORD_CHANGES = {
    "password_reset": "The password of your CapMatch account was changed through the reset link e-mailed to you.",
    "password_change": "The password of your CapMatch account was changed by someone signed in to it.",
}


def password_changed(*, action: str) -> tuple[str, str]:
    body = (
        f"{PASSWORD_CHANGES[action]} Every other session signed in with the old password has ended.\n\n"
        "If this was not you, reset your password at once from the sign-in page and tell the secretariat."
    )
    return "Your password was changed", body + SIGNATURE


def email_change_confirm(*, old_email: str, link: str, expires_at: datetime) -> tuple[str, str]:
    body = (
        f"The CapMatch account {old_email} asks to use this address from now on. To confirm, open:\n{link}\n\n"
        f"The link works once, until {_day(expires_at)}. If you did not ask, ignore this e-mail."
    )
    return "Confirm your new e-mail address", body + SIGNATURE


def email_change_notice(*, new_email: str) -> tuple[str, str]:
    body = (
        f"Someone signed in to your CapMatch account asked to change its e-mail address to {new_email}. Nothing "
        "changes until the link sent to that address is opened.\n\nIf this was not you, change your password and "
        "tell the secretariat."
    )
    return "Someone asked to change your e-mail address", body + SIGNATURE


def email_changed(*, new_email: str) -> tuple[str, str]:
    body = (f"Your CapMatch account now signs in with {new_email}, and this address is no longer used for it.\n\n"
            "If this was not you, tell the secretariat at once.")
    return "Your e-mail address was changed", body + SIGNATURE


def application_received(*, name: str) -> tuple[str, str]:
    body = (
        f"Thank you: the CapMatch secretariat has received the application of {name} to join the marketplace. "
        "Nothing you wrote is public. Once the secretariat has reviewed it, you will hear from us by e-mail: an "
        "invitation to create your account, or the reason we cannot accept it yet."
    )
    return f"Application received: {name}", body + SIGNATURE


def application_declined(*, name: str, reason: str) -> tuple[str, str]:
    body = (
        f"The CapMatch secretariat has reviewed the application of {name} and cannot accept it now, for this "
        f"reason:\n\n{reason}\n\nYou may apply again once this is resolved."
    )
    return f"Your application for {name} was not accepted", body + SIGNATURE

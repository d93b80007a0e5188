"""The words of every account e-mail, in one place (ready for a catalog when the French issue lands).

Each function returns (subject, body); capmatch.accounts.outbox sends them.
"""

from __future__ import annotations

from datetime import datetime

SIGNATURE = "\n\nThe CapMatch secretariat"
ROLE_WORDS = {"requester": "requester", "provider": "provider", "officer": "matching officer",
              "admin": "administrator"}


def _day(moment: datetime) -> str:
    return moment.strftime("%d %B %Y, %H:%M UTC")


def invitation(*, organization: str | None, role: str, focal_point: bool, inviter: str, link: str,
               expires_at: datetime) -> tuple[str, str]:
    where = organization or "the CapMatch secretariat"
    what = ROLE_WORDS.get(role, role) + (" and focal point" if focal_point else "")
    body = (
        f"{inviter} invites you to CapMatch, the marketplace of civilian expertise, as a {what} for {where}.\n\n"
        f"Choose your password here to create your account:\n{link}\n\n"
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


def password_changed(*, how: str) -> tuple[str, str]:
    body = (
        f"The password of your CapMatch account was {how}, and every other session signed in with the old one "
        "has ended.\n\nIf this was not you, reset your password at once from the sign-in page and tell the "
        "secretariat."
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
        "changes until that address confirms.\n\nIf this was not you, change your password and tell the secretariat."
    )
    return "A change of your e-mail address was asked", body + SIGNATURE


def email_changed(*, new_email: str) -> tuple[str, str]:
    body = f"Your CapMatch account now signs in with {new_email}; this address is no longer used."
    return "Your e-mail address was changed", body + SIGNATURE


def application_received(*, name: str) -> tuple[str, str]:
    body = (
        f"Thank you: the CapMatch secretariat has received the application of {name} to join the marketplace. "
        "Nothing you wrote is public; you will hear from us by e-mail once it is reviewed."
    )
    return f"Application received: {name}", body + SIGNATURE


def application_declined(*, name: str, reason: str) -> tuple[str, str]:
    body = (
        f"The CapMatch secretariat has reviewed the application of {name} and cannot accept it now, for this "
        f"reason:\n\n{reason}\n\nYou may apply again once this is resolved."
    )
    return f"Your application: {name}", body + SIGNATURE

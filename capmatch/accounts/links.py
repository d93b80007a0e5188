"""One-time links: a random value signed with the secret key (itsdangerous, one salt per purpose).

The signature makes a mistyped or altered link fail before any lookup, and a link made for one
purpose (a password reset) worthless for another (an invitation). The database keeps only the
SHA-256 digest of the whole link, with its expiry and whether it was used: a copied table holds
no usable link, and a link works once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeSerializer

from capmatch.config import get_settings
from capmatch.errors import CapmatchError
from capmatch.i18n import N_, _

PURPOSES = ("invitation", "password_reset", "email_change")
# A link is a short text in a URL path; anything longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def _serializer(purpose: str) -> URLSafeSerializer:
    assert purpose in PURPOSES, purpose
    return URLSafeSerializer(get_settings().secret_key, salt=f"capmatch.account-link.{purpose}")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewLink:
    token: str  # goes into the e-mail, never into the database
    digest: str


def new_link(purpose: str) -> NewLink:
    token = _serializer(purpose).dumps(secrets.token_urlsafe(24))
    return NewLink(token=token, digest=digest(token))


def verified_digest(purpose: str, token: str) -> str | None:
    """The digest to look the link up by, or None when the link was not made by us for this purpose."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        _serializer(purpose).loads(token)
    except BadData:
        return None
    return digest(token)


class LinkState:
    """Why a link cannot be used, in the words the link's page shows."""

    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


LINK_MESSAGES = {
    LinkState.INVALID: N_("This link is not valid. Check that you copied all of it from the e-mail; a newer "
                          "e-mail may also have replaced it."),
    LinkState.USED: N_("This link has already been used, and works only once."),
    LinkState.EXPIRED: N_("This link has expired."),
    LinkState.REVOKED: N_("This invitation was withdrawn."),
}


class LinkRefused(CapmatchError):
    """A one-time link that cannot be used, and why (a LinkState): 404 when it is none of ours, 410 when
    it was ours but is used up, expired or withdrawn."""

    code = "link_refused"

    def __init__(self, state: str):
        super().__init__(_(LINK_MESSAGES[state]), status=404 if state == LinkState.INVALID else 410)
        self.state = state

"""Password hashing with argon2: argon2-cffi's recommended parameters, its cheapest under CAPMATCH_ENV=test.

A hash carries its own parameters (m=, t=, p=), so any hash verifies whichever hasher made it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from capmatch.config import REPO_ROOT, get_settings
from capmatch.i18n import _

# RFC 9106's low-memory profile (64 MiB, 3 passes, 4 lanes): tens of milliseconds a hash, on purpose.
_strong = PasswordHasher()
# 8 KiB and one pass: the test suite signs people in thousands of times and proves nothing by waiting.
_cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
MIN_PASSWORD_LENGTH = 10
# A passphrase is welcome; a megabyte "password" only costs the hasher.
MAX_PASSWORD_LENGTH = 200


def hasher() -> PasswordHasher:
    return _cheap if get_settings().env == "test" else _strong


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- how strong a new password must be: one rule, used by every way of setting one ---------------

_SEPARATORS = re.compile(r"[\s\-_.]+")
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qwertzuiop")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords (seed/common_passwords.txt), lower-case."""
    lines = (REPO_ROOT / "seed" / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _trivial(word: str) -> bool:
    if len(set(word)) < 4:
        return True  # "aaaaaaaaaa", "abababab12"
    steps = {ord(b) - ord(a) for a, b in zip(word, word[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True  # "abcdefghij", "9876543210"
    return any(word in row or word in row[::-1] for row in _KEYBOARD_ROWS)


def password_problem(password: str, *, email: str = "") -> str | None:
    """What is wrong with a new password, in plain words; None when it will do.

    Long enough; not a known common or breached one, also with digits or symbols around it
    ("Password2024!"); not a trivial run ("aaaaaaaaaa", "1234567890", "qwertyuiop"); not the
    person's e-mail address or its name part.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Choose a password of at least {count} characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Choose a password of at most {count} characters.", count=MAX_PASSWORD_LENGTH)
    flat = _SEPARATORS.sub("", password.lower())
    core = _AROUND.sub("", flat)
    known = common_passwords()
    if flat in known or core in known:
        return _("This password is one of the most common ones, which are tried first: choose another.")
    if _trivial(flat) or (core and _trivial(core)):
        return _("This password is too easy to guess (a repeated character or a run of keys): choose another.")
    address = email.strip().lower()
    local = _SEPARATORS.sub("", address.partition("@")[0])
    if address and (address in password.lower() or (len(local) >= 3 and core == local)):
        return _("Do not use your e-mail address as your password: choose another.")
    return None

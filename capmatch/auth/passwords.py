"""Password hashing with argon2: argon2-cffi's recommended parameters, its cheapest under CAPMATCH_ENV=test.

A hash carries its own parameters (m=, t=, p=), so any hash verifies whichever hasher made it.
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from capmatch.config import get_settings

# RFC 9106's low-memory profile (64 MiB, 3 passes, 4 lanes): tens of milliseconds a hash, on purpose.
_strong = PasswordHasher()
# 8 KiB and one pass: the test suite signs people in thousands of times and proves nothing by waiting.
_cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
MIN_PASSWORD_LENGTH = 10


def hasher() -> PasswordHasher:
    return _cheap if get_settings().env == "test" else _strong


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

"""What every input must be before it reaches PostgreSQL: ids the columns can hold, text they can store.

Checked once, where input is parsed: the schemas below the HTTP layer (JSON bodies, the forms that
validate through them, roster rows) derive from `Input`; path, query and form values are checked
by capmatch.web (deps.py, forms.py) with the same `Id` and `unstorable`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from capmatch.i18n import _

INT4_MAX = 2**31 - 1  # PostgreSQL integer: every id column of a record a request can name
INT8_MAX = 2**63 - 1  # PostgreSQL bigint: the ids of notifications and audit events
MAX_PAGE = 100_000  # no listing reaches it; a larger page number is a 422, not an OFFSET to walk

# A record's id as a request names it (path, filter, body): a positive PostgreSQL integer. Out of
# that range it is a 422 naming the parameter, or a 404 in a path (see capmatch.web.errors).
Id = Annotated[int, Ge(1), Le(INT4_MAX)]

# PostgreSQL text (and jsonb) cannot hold U+0000, and UTF-8 cannot encode a lone surrogate.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: str) -> str | None:
    """Why PostgreSQL cannot store this text, or None if it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    code = f"{ord(found.group()):04X}"
    return _("This text holds a character that cannot be stored (U+{code}); remove it and send it again.", code=code)


def first_unstorable(value: Any) -> str | None:
    """The message for the first unstorable text in a value, its lists and dicts (keys too)."""
    if isinstance(value, str):
        return unstorable(value)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        return None  # numbers, dates, and nested Input models (which check their own fields)
    for item in items:
        message = first_unstorable(item)
        if message:
            return message
    return None


class Input(BaseModel):
    """The base of every schema a request's data is validated into: no field holds unstorable text."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        message = first_unstorable(value)
        if message:
            raise PydanticCustomError("text_unstorable", message)
        return value

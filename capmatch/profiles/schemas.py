"""What a person may change on their own profile."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from capmatch.inputs import Input
from capmatch.notifications.models import NOTIFICATION_KINDS

# The interface's languages; the French one reads this choice.
LANGUAGES = ("en", "fr")
Language = Literal["en", "fr"]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Kind = Literal[NOTIFICATION_KINDS]  # type: ignore[valid-type]


class ProfileUpdate(Input):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    language: Language | None = None  # none: the language the person's browser asks for
    email_kinds: list[Kind] = Field(
        default_factory=list, max_length=len(NOTIFICATION_KINDS),
        description="The kinds of event e-mailed as well as shown in the app; the others are in the app only",
    )

"""The officer's decision on a batch of proposals: approve or reject the ticked rows, or one row by its button."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData

from capmatch.i18n import _
from capmatch.web.forms import FormErrors, text, whole_number


@dataclass(frozen=True)
class Decision:
    action: str  # approve | reject
    ids: list[int]
    reason: str | None
    all_or_nothing: bool = False  # one refusal and none is decided (else each that can be is)


def read_decision(form: FormData, errors: FormErrors) -> Decision | None:
    """A row's own button ("approve_one"/"reject_one" = its id) wins over the ticked boxes."""
    reason = text(form, "reason")[:2000] or None
    for action in ("approve", "reject"):
        one = text(form, f"{action}_one")
        if one:
            ids = _ids([one], errors)
            return Decision(action, ids, reason) if ids is not None else None
    action = text(form, "action")
    if action not in ("approve", "reject"):
        errors.add("", _("Choose approve or reject."))
        return None
    ids = _ids([v for v in form.getlist("ids") if isinstance(v, str)], errors)
    if ids is None:
        return None
    if not ids:
        errors.add("ids", _("Tick at least one proposal."))
        return None
    return Decision(action, ids, reason, all_or_nothing=text(form, "all_or_nothing") == "1")


def _ids(raw: list[str], errors: FormErrors) -> list[int] | None:
    ids = [whole_number(v.strip()) for v in raw]
    if all(ids):
        return ids  # type: ignore[return-value]
    errors.add("ids", _("The proposals chosen are not valid; reload the page and try again."))
    return None

"""Words for codes: every label a person reads for a closed vocabulary, defined once."""

from __future__ import annotations

from capmatch.enums import AGREEMENT_FORMS, ORGANIZATION_KINDS, ROLES


def code_label(code: str) -> str:
    """The plain reading of a code that has no word of its own: "member_state_agency" -> "Member state agency"."""
    return code.replace("_", " ").capitalize()


# The administrator's forms' select options.
ADMIN_OPTIONS = {
    "kind": [(k, code_label(k)) for k in ORGANIZATION_KINDS],
    "agreement_form": [(a, code_label(a)) for a in AGREEMENT_FORMS],
    "role": [(r, code_label(r)) for r in ROLES],
}

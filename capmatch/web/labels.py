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


# The score's components, as officers, requesters and providers read them.
COMPONENT_LABELS = {
    "skills": "Skill coverage", "language": "Language", "experience": "Experience",
    "south_south": "South-South", "regional": "Regional proximity", "speed": "Speed to deploy",
    "cost": "Cost", "appraisal": "Past appraisals", "capacity_transfer": "Capacity transfer",
}
# A run's side constraints: (label, hint) on the run form.
CONSTRAINT_LABELS = {
    "min_south_south_share": ("Minimum South-South share", "A fraction of the positions filled, 0 to 1 (0.6 is 60%)."),
    "max_provider_share": ("Maximum share of any one provider", "A fraction above 0, up to 1."),
    "max_country_share": ("Maximum share of any one country", "A fraction above 0, up to 1."),
    "min_women_share": ("Minimum women's share", "Of the individual experts placed: a fraction, 0 to 1."),
    "budget_usd": ("Budget (USD)", "Total monthly cost times duration over every placement."),
    "time_limit_seconds": ("Solver time limit (seconds)", "Up to 600; the run reports the optimality gap reached."),
}
# Out of range says what the range is, in the form's terms (the schema's own text reads "0.0 or more").
WEIGHT_RANGE_MESSAGE = "Enter a weight from 0 to 100."
CONSTRAINT_RANGE_MESSAGES = {
    "min_south_south_share": "Enter a fraction from 0 to 1 (0.6 is 60%).",
    "max_provider_share": "Enter a fraction above 0, up to 1.",
    "max_country_share": "Enter a fraction above 0, up to 1.",
    "min_women_share": "Enter a fraction from 0 to 1 (0.5 is 50%).",
    "budget_usd": "Enter an amount of 0 or more.",
    "time_limit_seconds": "Enter a number of seconds above 0, up to 600.",
}

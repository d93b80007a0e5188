"""Words for codes: every label a person reads for a closed vocabulary, defined once."""

from __future__ import annotations

from capmatch.enums import AGREEMENT_FORMS, ORGANIZATION_KINDS, ROLES


def code_label(code: str) -> str:
    """The plain reading of a code that has no word of its own (an audit action, a data key):
    "roster_import" -> "Roster import"."""
    return code.replace("_", " ").capitalize()


# The closed vocabularies of capmatch.enums, and the few other states pages show, as a person reads
# them at the start of a cell or a sentence (templates lower-case them mid-sentence and in badges).
WORDS = {
    # organization kinds
    "member_state_agency": "Member state agency", "regional_organization": "Regional organization",
    "intergovernmental_organization": "Intergovernmental organization", "un_entity": "UN entity",
    "ngo": "NGO", "host_government_ministry": "Host government ministry",
    # agreement forms
    "letter_of_assist": "Letter of assist", "memorandum_of_understanding": "Memorandum of understanding",
    "institutional_cooperation_contract": "Institutional cooperation contract",
    "systems_contract": "Systems contract",
    # roles, cost bearers
    "requester": "Requester", "provider": "Provider", "officer": "Officer", "admin": "Admin",
    "third_party": "Third party",
    # modalities
    "deployed_expert": "Deployed expert", "remote_advisory": "Remote advisory", "team": "Team",
    "twinning_mentoring": "Twinning mentoring", "training": "Training",
    # funding
    "requester_paid": "Requester paid", "provider_paid": "Provider paid",
    # urgencies
    "low": "Low", "normal": "Normal", "high": "High", "critical": "Critical",
    # need statuses
    "draft": "Draft", "open": "Open", "partially_filled": "Partially filled", "filled": "Filled",
    "closed": "Closed", "cancelled": "Cancelled",
    # offer kinds
    "individual_expert": "Individual expert", "expert_team": "Expert team",
    "institutional_partnership": "Institutional partnership",
    # offer statuses
    "available": "Available", "reserved": "Reserved", "deployed": "Deployed", "withdrawn": "Withdrawn",
    # genders
    "female": "Female", "male": "Male", "other": "Other", "undisclosed": "Undisclosed",
    # run statuses
    "queued": "Queued", "running": "Running", "succeeded": "Succeeded", "failed": "Failed",
    # proposal statuses
    "proposed": "Proposed", "approved": "Approved", "accepted": "Accepted", "confirmed": "Confirmed",
    "agreed": "Agreed", "completed": "Completed", "rejected": "Rejected", "declined": "Declined",
    "expired": "Expired", "superseded": "Superseded",
    # accounts, organizations' roles, notifications
    "active": "Active", "deactivated": "Deactivated", "requests": "Requests", "provides": "Provides",
    "new": "New",
    # what the audit trail records
    "need": "Need", "offer": "Offer", "proposal": "Proposal", "match_run": "Match run",
    "organization": "Organization", "user": "User", "area": "Area",
    "policy": "Saved policy",
}


def plain_number(value: float | int) -> str:
    """A policy's number as a person writes it: 3 rather than 3.0; 0.6 and 1250000 as they are."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def label(code: str) -> str:
    """The word for a code: a vocabulary's, a score component's or a side constraint's."""
    word = WORDS.get(code) or COMPONENT_LABELS.get(code)
    if word is None:
        named = CONSTRAINT_LABELS.get(code)
        word = named[0] if named else code_label(code)
    return word


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
POLICY_NAME_MESSAGE = "Use lower-case letters, digits, - and _ only, starting with a letter or a digit."
CONSTRAINT_RANGE_MESSAGES = {
    "min_south_south_share": "Enter a fraction from 0 to 1 (0.6 is 60%).",
    "max_provider_share": "Enter a fraction above 0, up to 1.",
    "max_country_share": "Enter a fraction above 0, up to 1.",
    "min_women_share": "Enter a fraction from 0 to 1 (0.5 is 50%).",
    "budget_usd": "Enter an amount of 0 or more.",
    "time_limit_seconds": "Enter a number of seconds above 0, up to 600.",
}


# The administrator's forms' select options.
ADMIN_OPTIONS = {
    "kind": [(k, label(k)) for k in ORGANIZATION_KINDS],
    "agreement_form": [(a, label(a)) for a in AGREEMENT_FORMS],
    "role": [(r, label(r)) for r in ROLES],
}

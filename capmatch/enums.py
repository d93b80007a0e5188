"""The closed vocabularies of the domain, shared by models (check constraints), schemas and the UI.

Plain tuples of strings, so the pure core and the database agree without importing each other.
"""

ORGANIZATION_KINDS = (
    "member_state_agency",
    "regional_organization",
    "intergovernmental_organization",
    "un_entity",
    "ngo",
    "host_government_ministry",
)
# Organizations that have no home country of their own.
STATELESS_KINDS = ("regional_organization", "intergovernmental_organization")

AGREEMENT_FORMS = (
    "letter_of_assist",  # governments
    "memorandum_of_understanding",  # regional organizations
    "institutional_cooperation_contract",  # NGOs and training centres
    "systems_contract",  # individual consultants
)
DEFAULT_AGREEMENT_FORM = {
    "member_state_agency": "letter_of_assist",
    "host_government_ministry": "letter_of_assist",
    "regional_organization": "memorandum_of_understanding",
    "intergovernmental_organization": "memorandum_of_understanding",
    "un_entity": "memorandum_of_understanding",
    "ngo": "institutional_cooperation_contract",
}

ROLES = ("requester", "provider", "officer", "admin")
SECRETARIAT_ROLES = ("officer", "admin")

MODALITIES = ("deployed_expert", "remote_advisory", "team", "twinning_mentoring", "training")
FUNDING = ("requester_paid", "provider_paid", "third_party")
COST_BEARERS = ("requester", "provider", "third_party")
URGENCIES = ("low", "normal", "high", "critical")
NEED_STATUSES = ("draft", "open", "partially_filled", "filled", "closed", "cancelled")
# A need in one of these states can still take proposals.
MATCHABLE_NEED_STATUSES = ("open", "partially_filled")

OFFER_KINDS = ("individual_expert", "expert_team", "institutional_partnership", "training")
PERSON_OFFER_KINDS = ("individual_expert",)
OFFER_STATUSES = ("available", "reserved", "deployed", "withdrawn")
GENDERS = ("female", "male", "other", "undisclosed")

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")  # stored as 1..6; native counts as C2

RUN_STATUSES = ("queued", "running", "succeeded", "failed")
# What a run's solver reached: proven best, stopped by its time limit, or within a bounded gap (Lagrangian).
SOLVER_OUTCOMES = ("optimal", "time_limit", "feasible")

PROPOSAL_STATUSES = (
    "proposed",  # by a run or by hand, awaiting an officer
    "approved",  # by an officer; reserves the offer's capacity
    "accepted",  # by the requester (host consent), awaiting the provider
    "confirmed",  # release confirmed by the provider, awaiting the requester
    "agreed",  # both sides consented
    "deployed",
    "completed",
    "rejected",  # by an officer
    "declined",  # by the requester or the provider
    "withdrawn",
    "expired",  # a deadline passed
    "superseded",  # a later run replaced this unapproved proposal
)
# States in which a proposal holds one unit of its offer's capacity.
RESERVING_PROPOSAL_STATUSES = ("approved", "accepted", "confirmed", "agreed", "deployed")
# States a new match run keeps fixed.
FIXED_PROPOSAL_STATUSES = RESERVING_PROPOSAL_STATUSES + ("completed",)
LIVE_PROPOSAL_STATUSES = ("proposed",) + RESERVING_PROPOSAL_STATUSES


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint body restricting `column` to `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def cefr_to_int(level: str) -> int:
    level = level.strip().upper()
    if level == "NATIVE":
        return 6
    return CEFR_LEVELS.index(level) + 1


def int_to_cefr(value: int) -> str:
    return CEFR_LEVELS[value - 1]

"""Words for codes: every label a person reads for a closed vocabulary, defined once.

The tables hold the English words, marked for the catalogs with N_(); reading a table (`WORDS[code]`,
`.get()`, `.items()`, `.values()`) gives the words in the language in use. A list of options for a
form holds lazy labels, read when the page is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel.support import LazyProxy

from capmatch.enums import AGREEMENT_FORMS, ORGANIZATION_KINDS, ROLES
from capmatch.i18n import N_, gettext


def _translated(value: Any) -> Any:
    if isinstance(value, str):
        return gettext(value) if value else value
    if isinstance(value, tuple):
        return tuple(_translated(part) for part in value)
    return value


class Words(dict):
    """A table of words by code, read in the language in use."""

    def __getitem__(self, code: Any) -> Any:
        return _translated(super().__getitem__(code))

    def get(self, code: Any, default: Any = None) -> Any:
        return self[code] if code in self else default

    def values(self):  # type: ignore[override]
        return [self[code] for code in self]

    def items(self):  # type: ignore[override]
        return [(code, self[code]) for code in self]


def code_label(code: str) -> str:
    """The plain reading of a code that has no word of its own (an audit action, a data key):
    "roster_import" -> "Roster import"."""
    return code.replace("_", " ").capitalize()


# The closed vocabularies of capmatch.enums, and the few other states pages show, as a person reads
# them at the start of a cell or a sentence (templates lower-case them mid-sentence and in badges).
WORDS = Words({
    # organization kinds
    "member_state_agency": N_("Member state agency"), "regional_organization": N_("Regional organization"),
    "intergovernmental_organization": N_("Intergovernmental organization"), "un_entity": N_("UN entity"),
    "ngo": N_("NGO"), "host_government_ministry": N_("Host government ministry"),
    # agreement forms
    "letter_of_assist": N_("Letter of assist"), "memorandum_of_understanding": N_("Memorandum of understanding"),
    "institutional_cooperation_contract": N_("Institutional cooperation contract"),
    "systems_contract": N_("Systems contract"),
    # roles, cost bearers
    "requester": N_("Requester"), "provider": N_("Provider"), "officer": N_("Officer"), "admin": N_("Admin"),
    "third_party": N_("Third party"),
    # modalities
    "deployed_expert": N_("Deployed expert"), "remote_advisory": N_("Remote advisory"), "team": N_("Team"),
    "twinning_mentoring": N_("Twinning mentoring"), "training": N_("Training"),
    # funding
    "requester_paid": N_("Requester paid"), "provider_paid": N_("Provider paid"),
    # urgencies
    "low": N_("Low"), "normal": N_("Normal"), "high": N_("High"), "critical": N_("Critical"),
    # need statuses
    "draft": N_("Draft"), "open": N_("Open"), "partially_filled": N_("Partially filled"), "filled": N_("Filled"),
    "closed": N_("Closed"), "cancelled": N_("Cancelled"),
    # offer kinds
    "individual_expert": N_("Individual expert"), "expert_team": N_("Expert team"),
    "institutional_partnership": N_("Institutional partnership"),
    # offer statuses
    "available": N_("Available"), "reserved": N_("Reserved"), "deployed": N_("Deployed"), "withdrawn": N_("Withdrawn"),
    # genders
    "female": N_("Female"), "male": N_("Male"), "other": N_("Other"), "undisclosed": N_("Undisclosed"),
    # run statuses
    "queued": N_("Queued"), "running": N_("Running"), "succeeded": N_("Succeeded"), "failed": N_("Failed"),
    # what a run's solver reached (officers read the outcome; the method is a detail line)
    "optimal": N_("Exact optimum"), "time_limit": N_("Best found within the time limit"),
    "feasible": N_("Near-optimal, within the gap shown"),
    # proposal statuses
    "proposed": N_("Proposed"), "approved": N_("Approved"), "accepted": N_("Accepted"), "confirmed": N_("Confirmed"),
    "agreed": N_("Agreed"), "completed": N_("Completed"), "rejected": N_("Rejected"), "declined": N_("Declined"),
    "expired": N_("Expired"), "superseded": N_("Superseded"),
    # accounts, organizations' roles, notifications
    "active": N_("Active"), "deactivated": N_("Deactivated"), "requests": N_("Requests"), "provides": N_("Provides"),
    "new": N_("New"),
    # what the audit trail records
    "need": N_("Need"), "offer": N_("Offer"), "proposal": N_("Proposal"), "match_run": N_("Match run"),
    "organization": N_("Organization"), "user": N_("User"), "area": N_("Area"),
    # invitations and applications to join
    "pending": N_("Pending"), "revoked": N_("Revoked"), "invitation": N_("Invitation"), "application": N_("Application"),
    "policy": N_("Saved policy"),
})


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
COMPONENT_LABELS = Words({
    "skills": N_("Skill coverage"), "language": N_("Language"), "experience": N_("Experience"),
    "south_south": N_("South-South"), "regional": N_("Regional proximity"), "speed": N_("Speed to deploy"),
    "cost": N_("Cost"), "appraisal": N_("Past appraisals"), "capacity_transfer": N_("Capacity transfer"),
    "gender_balance": N_("Gender balance"),
})
# A run's side constraints: (label, hint) on the run form.
CONSTRAINT_LABELS = Words({
    "min_south_south_share": (N_("Minimum South-South share"), N_("A fraction of the positions filled, 0 to 1 (0.6 is 60%).")),
    "max_provider_share": (N_("Maximum share of any one provider"), N_("A fraction above 0, up to 1.")),
    "max_country_share": (N_("Maximum share of any one country"), N_("A fraction above 0, up to 1.")),
    "min_women_share": (N_("Minimum women's share"), N_("Of the individual experts placed: a fraction, 0 to 1.")),
    "budget_usd": (N_("Budget (USD)"), N_("Total monthly cost times duration over every placement.")),
    "time_limit_seconds": (N_("Solver time limit (seconds)"), N_("Up to 600; the run reports the optimality gap reached.")),
})
# Out of range says what the range is, in the form's terms (the schema's own text reads "0.0 or more"),
# and which box it is about, so the error summary's list can be read on its own. English here:
# gettext(message, component=...) where they are shown.
WEIGHT_RANGE_MESSAGE = N_("Enter a weight from 0 to 100 for “{component}”.")
WEIGHT_NUMBER_MESSAGE = N_("Enter the weight for “{component}” as a number.")
POLICY_NAME_MESSAGE = N_("Write the name in lower-case letters, digits, - and _ only, starting with a letter or a digit.")
CONSTRAINT_RANGE_MESSAGES = Words({
    "min_south_south_share": N_("Enter the minimum South-South share as a fraction from 0 to 1 (0.6 is 60%)."),
    "max_provider_share": N_("Enter the maximum share of any one provider as a fraction above 0, up to 1."),
    "max_country_share": N_("Enter the maximum share of any one country as a fraction above 0, up to 1."),
    "min_women_share": N_("Enter the minimum women's share as a fraction from 0 to 1 (0.5 is 50%)."),
    "budget_usd": N_("Enter the budget as an amount in USD of 0 or more."),
    "time_limit_seconds": N_("Enter the solver time limit as a number of seconds above 0, up to 600."),
})
CONSTRAINT_NUMBER_MESSAGES = Words({
    "min_south_south_share": N_("Enter the minimum South-South share as a number."),
    "max_provider_share": N_("Enter the maximum share of any one provider as a number."),
    "max_country_share": N_("Enter the maximum share of any one country as a number."),
    "min_women_share": N_("Enter the minimum women's share as a number."),
    "budget_usd": N_("Enter the budget as a number."),
    "time_limit_seconds": N_("Enter the solver time limit as a number."),
})


def lazy_label(code: str) -> LazyProxy:
    """label(code), read when it is shown: for option lists built once, at import."""
    return LazyProxy(label, code, enable_cache=False)


def labelled(codes: Iterable[str]) -> list[tuple[str, LazyProxy]]:
    """A form's options: (code, its word, read in the language of the page)."""
    return [(code, lazy_label(code)) for code in codes]


# The administrator's forms' select options.
ADMIN_OPTIONS = {
    "kind": labelled(ORGANIZATION_KINDS),
    "agreement_form": labelled(AGREEMENT_FORMS),
    "role": labelled(ROLES),
}


# A person's own account: API tokens, the profile's languages and e-mail preferences.
WORDS.update({
    "revoked": N_("Revoked"), "api_token": N_("API token"),
    "en": "English", "fr": "Français",  # each language named in itself, in every language
    "proposal_answer_needed": N_("A proposal awaits my organization's answer"),
    "proposal_progress": N_("A proposal is agreed, the expert deployed, the deployment completed"),
    "proposal_ended": N_("A proposal is declined, withdrawn or expires"),
})
ACCOUNT_OPTIONS = {
    "expires_in_days": [("30", LazyProxy(gettext, N_("30 days"), enable_cache=False)),
                        ("90", LazyProxy(gettext, N_("90 days"), enable_cache=False)),
                        ("365", LazyProxy(gettext, N_("1 year"), enable_cache=False))],
    # each language named in itself; none chosen: the browser's
    "language": [("", LazyProxy(gettext, N_("As my browser asks"), enable_cache=False)),
                 ("en", "English"), ("fr", "Français")],
}


# A proposal's page: the sides of a proposal, the steps of its timeline, and what each next step asks.
PARTY_LABELS = Words({
    "officer": N_("The secretariat"), "requester": N_("The requesting organization"),
    "provider": N_("The providing organization"), "system": N_("CapMatch"),
})
STEP_LABELS = Words({
    "propose": N_("Proposed"), "approve": N_("Approved by the secretariat"), "reject": N_("Rejected by the secretariat"),
    "accept": N_("Accepted by the requesting organization (host consent)"),
    "decline_by_requester": N_("Declined by the requesting organization"),
    "confirm": N_("Release confirmed by the providing organization"),
    "decline_by_provider": N_("Declined by the providing organization"),
    "deploy": N_("Expert deployed"), "complete": N_("Deployment completed and appraised"), "withdraw": N_("Withdrawn"),
    "expire": N_("Expired without an answer"), "cancel_need": N_("Withdrawn: the need was cancelled"),
    "close_need": N_("Withdrawn: the need was closed"), "superseded": N_("Replaced by a later match run"),
})
NEXT_STEP_LABELS = Words({
    "approve": N_("approve"), "reject": N_("reject"), "accept": N_("accept (host consent)"), "decline": N_("decline"),
    "confirm": N_("confirm the release of the expert"), "deploy": N_("record the expert's arrival"),
    "complete": N_("complete the deployment with an appraisal"), "withdraw": N_("withdraw"),
})
# What the page says once an action on a proposal is done.
STEP_DONE = Words({
    "approve": N_("The proposal is approved: both sides are asked for their answer."),
    "reject": N_("The proposal is rejected."), "accept": N_("You accepted the proposal."),
    "decline": N_("You declined the proposal."), "confirm": N_("You confirmed the release of the expert."),
    "deploy": N_("The expert's arrival is recorded."),
    "complete": N_("The deployment is complete: the appraisal is on the expert's record."),
    "withdraw": N_("The proposal is withdrawn."),
})
# The buttons of a proposal's page, one per workflow action.
ACTION_BUTTONS = Words({
    "approve": N_("Approve"), "reject": N_("Reject"), "accept": N_("Accept (host consent)"), "decline": N_("Decline"),
    "confirm": N_("Confirm the release"), "deploy": N_("Record the deployment"), "complete": N_("Complete the deployment"),
    "withdraw": N_("Withdraw the proposal"),
})


# The hard rules of matching (capmatch.matching.core.rules), as the manual match form states a
# pair's breach of each; the particulars ("French at C1", dates) follow in the page.
RULE_LABELS = Words({
    "area": N_("The offer does not cover the need's capacity area"),
    "capacity": N_("The offer has no capacity left: its expert is already approved or proposed by hand elsewhere"),
    "language": N_("The expert lacks a required language at its minimum level"),
    "arrival": N_("The expert cannot be at the duty station by the start-by date"),
    "window": N_("The offer is not available for the whole assignment"),
    "duration": N_("The assignment is longer than the offer's longest"),
    "credentials": N_("The expert's screening or credentials expire before the assignment ends"),
    "provider_kind": N_("The need does not accept this kind of provider"),
    "eligibility": N_("The expert is not eligible: the need takes only nationals of a member country of its groupings"),
    "duty_national": N_("The expert is a national of the duty-station country, which the need excludes"),
    "excluded": N_("This offer was already rejected or declined for this need"),
})
RULES_BROKEN_MESSAGE = (N_("This pair breaks the hard rules listed above. Write why you propose it anyway, "
                        "or choose another offer."))


# The reports' codes: milestones, stages, who answers, why positions stay open, and the figures' headings.
REPORT_WORDS = Words({
    "first_proposal": N_("First proposal"), "agreement": N_("Agreement"), "deployment": N_("Deployment"),
    "proposed": N_("Proposed"), "agreed": N_("Agreed"), "deployed": N_("Deployed"),
    "officer": N_("Officers (review)"), "requester": N_("Requesters"), "provider": N_("Providers"),
    "both": N_("Both sides"), "filled": N_("Filled"), "posted": N_("Posted"),
    # why the latest run left positions unfilled (matching/core/explain.py's codes)
    "area": N_("No offer in the area"), "capacity": N_("No capacity left"), "language": N_("Language or level missing"),
    "arrival": N_("Cannot arrive by the start date"), "window": N_("Not available for the whole assignment"),
    "duration": N_("Cannot serve the duration"), "credentials": N_("Credentials or screening expire"),
    "provider_kind": N_("Kind of provider not accepted"), "eligibility": N_("Nationality not eligible"),
    "duty_national": N_("Nationals of the duty country excluded"), "excluded": N_("Already rejected for the need"),
    "outscored": N_("Went to higher-scoring needs"), "constrained": N_("Left out by the policy's constraints"),
    "too_few": N_("Too few offers for the positions"),
})


# A form's fields as its error messages name them: (words, chosen from a list). "Choose the duty
# station", "Enter the title": the words are whole (with their article), so that each language
# writes them its own way; a field missing here is read from its name.
FIELD_WORDS = Words({
    "title": (N_("the title"), False), "duty_country": (N_("the duty station"), True), "area": (N_("the capacity area"), True),
    "areas": (N_("the capacity areas"), True), "terms_of_reference": (N_("the terms of reference"), False),
    "skills": (N_("the skills"), False), "languages": (N_("the languages"), True), "code": (N_("the language"), True),
    "min_level": (N_("the minimum level"), True), "level": (N_("the level"), True), "positions": (N_("the positions"), False),
    "start_by": (N_("the start-by date"), False), "answer_by": (N_("the answer-by date"), False), "duration_months": (N_("the duration in months"), False),
    "min_years_experience": (N_("the minimum years of experience"), False), "modality": (N_("the modality"), True),
    "funding": (N_("the funding"), True), "urgency": (N_("the urgency"), True),
    "eligible_members_of": (N_("the grouping whose nationals may answer"), True),
    "allowed_provider_kinds": (N_("the kinds of provider"), True), "gender_target": (N_("the gender-balance target"), False),
    "kind": (N_("the kind"), True), "summary": (N_("the summary"), False), "expert_name": (N_("the expert's name"), False),
    "expert_email": (N_("the e-mail address"), False), "nationality": (N_("the nationality"), True),
    "gender": (N_("the gender"), True), "years_experience": (N_("the years of experience"), False),
    "capacity": (N_("the positions it can fill at once"), False), "available_from": (N_("the available-from date"), False),
    "available_until": (N_("the available-until date"), False), "lead_time_days": (N_("the days needed to deploy"), False),
    "max_duration_months": (N_("the longest assignment in months"), False),
    "monthly_cost_usd": (N_("the monthly cost in USD"), False), "cost_bearer": (N_("who pays"), True),
    "screening_valid_until": (N_("the screening's end date"), False),
    "credentials_valid_until": (N_("the credentials' end date"), False), "country": (N_("the country"), True),
    "organization_name": (N_("the organization's name"), False), "role": (N_("the role"), True),
    "started_on": (N_("the start date"), False), "ended_on": (N_("the end date"), False),
    "appraisal": (N_("the appraisal (1 to 5)"), False), "name": (N_("the name"), False), "acronym": (N_("the acronym"), False),
    "agreement_form": (N_("the agreement form"), True), "members": (N_("the member countries"), True),
    "email": (N_("the e-mail address"), False), "full_name": (N_("the name"), False), "focal_name": (N_("the focal point's name"), False),
    "focal_email": (N_("the focal point's e-mail address"), False), "password": (N_("the password"), False),
    "statement": (N_("the statement of what it can offer or needs"), False), "description": (N_("the description"), False),
    "expires_in_days": (N_("how long the token works"), True), "language": (N_("the language"), True),
    "email_kinds": (N_("the e-mail notifications"), True), "reason": (N_("the reason"), False),
    "override_reason": (N_("why you override the hard rules"), False), "comment": (N_("the comment"), False),
    "need_id": (N_("the need number"), False), "offer_id": (N_("the offer number"), False),
    "organization_id": (N_("the organization"), True), "policy_id": (N_("the stored policy"), True),
    "arrived_on": (N_("the arrival date"), False), "deployed_on": (N_("the deployment date"), False),
})
FIELD_WORDS["past_deployments.role"] = (N_("the role"), False)
FIELD_WORDS["past_deployments.country"] = (N_("the country"), True)
# A list where a form needs at least one choice, as its message says so.
AT_LEAST_ONE = Words({
    "areas": N_("Choose at least one capacity area."),
    "allowed_provider_kinds": N_("Choose at least one kind of provider."),
    "members": N_("Choose at least one member country."),
    "languages": N_("Choose at least one language."),
    "skills": N_("Choose at least one skill."),
    "email_kinds": N_("Choose at least one kind of e-mail notification."),
})
# A text that must have a form of its own (an address), as its message asks for it.
A_VALID = Words({
    "email": N_("Enter a valid e-mail address."), "expert_email": N_("Enter a valid e-mail address."),
    "focal_email": N_("Enter a valid e-mail address for the focal point."),
})
# A repeated row's words in a message: "Language 2: choose the minimum level."
ROW_WORDS = Words({"languages": N_("Language"), "past_deployments": N_("Past deployment")})


# What the audit trail records, as a person reads it in its "What" column.
AUDIT_ACTION_LABELS = Words({
    "create": N_("Created"), "created": N_("Created"), "update": N_("Changed"), "rename": N_("Renamed"), "revoke": N_("Revoked"),
    "propose": N_("Proposed"), "approve": N_("Approved"), "reject": N_("Rejected"), "accept": N_("Accepted"),
    "decline": N_("Declined"), "decline_by_requester": N_("Declined by the requesting organization"),
    "decline_by_provider": N_("Declined by the providing organization"), "confirm": N_("Release confirmed"),
    "deploy": N_("Expert deployed"), "complete": N_("Deployment completed"), "withdraw": N_("Withdrawn"),
    "expire": N_("Expired"), "cancel": N_("Cancelled"), "close": N_("Closed"), "cancel_need": N_("Withdrawn with the need"),
    "close_need": N_("Withdrawn with the need"), "superseded": N_("Replaced by a later match run"),
    "fill_changed": N_("Positions filled changed"), "roster_import": N_("Imported from a roster file"),
    "role_change": N_("Role changed"), "activate": N_("Reactivated"), "deactivate": N_("Deactivated"),
    "resend": N_("Invitation sent again"), "join": N_("Joined"), "focal_point_named": N_("Focal point named"),
    "update_profile": N_("Profile changed"), "password_change": N_("Password changed"),
    "password_reset": N_("Password reset"), "password_reset_requested": N_("Password reset asked for"),
    "email_change": N_("E-mail address changed"), "email_change_requested": N_("E-mail address change asked for"),
    "start": N_("Started"), "succeed": N_("Finished"), "fail": N_("Failed"),
})


def audit_action(code: str) -> str:
    """An audit event's action in words ("approve" -> "Approved")."""
    return AUDIT_ACTION_LABELS.get(code) or label(code)

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
    # what a run's solver reached (officers read the outcome; the method is a detail line)
    "optimal": "Exact optimum", "time_limit": "Best found within the time limit",
    "feasible": "Near-optimal, within the gap shown",
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
    # invitations and applications to join
    "pending": "Pending", "revoked": "Revoked", "invitation": "Invitation", "application": "Application",
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
    "gender_balance": "Gender balance",
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


# A person's own account: API tokens, the profile's languages and e-mail preferences.
WORDS.update({
    "revoked": "Revoked", "api_token": "API token",
    "en": "English", "fr": "Français",
    "proposal_answer_needed": "A proposal awaits my organization's answer",
    "proposal_progress": "A proposal is agreed, the expert deployed, the deployment completed",
    "proposal_ended": "A proposal is declined, withdrawn or expires",
})
ACCOUNT_OPTIONS = {
    "expires_in_days": [("30", "30 days"), ("90", "90 days"), ("365", "1 year")],
    "language": [("en", label("en")), ("fr", label("fr"))],
}


# A proposal's page: the sides of a proposal, the steps of its timeline, and what each next step asks.
PARTY_LABELS = {
    "officer": "The secretariat", "requester": "The requesting organization",
    "provider": "The providing organization", "system": "CapMatch",
}
STEP_LABELS = {
    "propose": "Proposed", "approve": "Approved by the secretariat", "reject": "Rejected by the secretariat",
    "accept": "Accepted by the requesting organization (host consent)",
    "decline_by_requester": "Declined by the requesting organization",
    "confirm": "Release confirmed by the providing organization",
    "decline_by_provider": "Declined by the providing organization",
    "deploy": "Expert deployed", "complete": "Deployment completed and appraised", "withdraw": "Withdrawn",
    "expire": "Expired without an answer", "cancel_need": "Withdrawn: the need was cancelled",
    "close_need": "Withdrawn: the need was closed", "superseded": "Replaced by a later match run",
}
NEXT_STEP_LABELS = {
    "approve": "approve", "reject": "reject", "accept": "accept (host consent)", "decline": "decline",
    "confirm": "confirm the release of the expert", "deploy": "record the expert's arrival",
    "complete": "complete the deployment with an appraisal", "withdraw": "withdraw",
}
# What the page says once an action on a proposal is done.
STEP_DONE = {
    "approve": "The proposal is approved: both sides are asked for their answer.",
    "reject": "The proposal is rejected.", "accept": "You accepted the proposal.",
    "decline": "You declined the proposal.", "confirm": "You confirmed the release of the expert.",
    "deploy": "The expert's arrival is recorded.",
    "complete": "The deployment is complete: the appraisal is on the expert's record.",
    "withdraw": "The proposal is withdrawn.",
}
# The buttons of a proposal's page, one per workflow action.
ACTION_BUTTONS = {
    "approve": "Approve", "reject": "Reject", "accept": "Accept (host consent)", "decline": "Decline",
    "confirm": "Confirm the release", "deploy": "Record the deployment", "complete": "Complete the deployment",
    "withdraw": "Withdraw the proposal",
}


# The hard rules of matching (capmatch.matching.core.rules), as the manual match form states a
# pair's breach of each; the particulars ("French at C1", dates) follow in the page.
RULE_LABELS = {
    "area": "The offer does not cover the need's capacity area",
    "capacity": "The offer has no capacity left: its expert is already approved or proposed by hand elsewhere",
    "language": "The expert lacks a required language at its minimum level",
    "arrival": "The expert cannot be at the duty station by the start-by date",
    "window": "The offer is not available for the whole assignment",
    "duration": "The assignment is longer than the offer's longest",
    "credentials": "The expert's screening or credentials expire before the assignment ends",
    "provider_kind": "The need does not accept this kind of provider",
    "eligibility": "The expert is not eligible: the need takes only nationals of a member country of its groupings",
    "duty_national": "The expert is a national of the duty-station country, which the need excludes",
    "excluded": "This offer was already rejected or declined for this need",
}
RULES_BROKEN_MESSAGE = ("This pair breaks the hard rules listed above. Write why you propose it anyway, "
                        "or choose another offer.")


# The reports' codes: milestones, stages, who answers, why positions stay open, and the figures' headings.
REPORT_WORDS = {
    "first_proposal": "First proposal", "agreement": "Agreement", "deployment": "Deployment",
    "proposed": "Proposed", "agreed": "Agreed", "deployed": "Deployed",
    "officer": "Officers (review)", "requester": "Requesters", "provider": "Providers",
    "both": "Both sides", "filled": "Filled", "posted": "Posted",
    # why the latest run left positions unfilled (matching/core/explain.py's codes)
    "area": "No offer in the area", "capacity": "No capacity left", "language": "Language or level missing",
    "arrival": "Cannot arrive by the start date", "window": "Not available for the whole assignment",
    "duration": "Cannot serve the duration", "credentials": "Credentials or screening expire",
    "provider_kind": "Kind of provider not accepted", "eligibility": "Nationality not eligible",
    "duty_national": "Nationals of the duty country excluded", "excluded": "Already rejected for the need",
    "outscored": "Went to higher-scoring needs", "constrained": "Left out by the policy's constraints",
    "too_few": "Too few offers for the positions",
}


# A form's fields as its error messages name them: (words, chosen from a list). "Choose the duty
# station", "Enter the title"; a field missing here is read from its name.
FIELD_WORDS = {
    "title": ("the title", False), "duty_country": ("the duty station", True), "area": ("the capacity area", True),
    "areas": ("capacity area", True), "terms_of_reference": ("the terms of reference", False),
    "skills": ("the skills", False), "languages": ("the languages", True), "code": ("the language", True),
    "min_level": ("the minimum level", True), "level": ("the level", True), "positions": ("the positions", False),
    "start_by": ("the start-by date", False), "answer_by": ("the answer-by date", False),
    "duration_months": ("the duration in months", False),
    "min_years_experience": ("the minimum years of experience", False), "modality": ("the modality", True),
    "funding": ("the funding", True), "urgency": ("the urgency", True),
    "eligible_members_of": ("the grouping whose nationals may answer", True),
    "allowed_provider_kinds": ("kind of provider", True), "gender_target": ("the gender-balance target", False),
    "kind": ("the kind", True), "summary": ("the summary", False), "expert_name": ("the expert's name", False),
    "expert_email": ("e-mail address", False), "nationality": ("the nationality", True),
    "gender": ("the gender", True), "years_experience": ("the years of experience", False),
    "capacity": ("the positions it can fill at once", False), "available_from": ("the available-from date", False),
    "available_until": ("the available-until date", False), "lead_time_days": ("the days needed to deploy", False),
    "max_duration_months": ("the longest assignment in months", False),
    "monthly_cost_usd": ("the monthly cost in USD", False), "cost_bearer": ("who pays", True),
    "screening_valid_until": ("the screening's end date", False),
    "credentials_valid_until": ("the credentials' end date", False), "country": ("the country", True),
    "organization_name": ("the organization's name", False), "role": ("the role", True),
    "started_on": ("the start date", False), "ended_on": ("the end date", False),
    "appraisal": ("the appraisal (1 to 5)", False), "name": ("the name", False), "acronym": ("the acronym", False),
    "agreement_form": ("the agreement form", True), "members": ("member country", True),
    "email": ("e-mail address", False), "full_name": ("the name", False), "focal_name": ("the focal point's name", False),
    "focal_email": ("focal point's e-mail address", False), "password": ("the password", False),
    "statement": ("what it can offer, or what it needs", False), "description": ("the description", False),
    "expires_in_days": ("how long the token works", True), "language": ("the language", True),
    "email_kinds": ("the e-mail notifications", True), "reason": ("the reason", False),
    "override_reason": ("why you override the hard rules", False), "comment": ("the comment", False),
    "need_id": ("the need number", False), "offer_id": ("the offer number", False),
    "organization_id": ("the organization", True), "policy_id": ("the stored policy", True),
    "arrived_on": ("the arrival date", False), "deployed_on": ("the deployment date", False),
}
FIELD_WORDS["past_deployments.role"] = ("the role", False)
FIELD_WORDS["past_deployments.country"] = ("the country", True)
# A repeated row's words in a message: "Language 2: choose the minimum level."
ROW_WORDS = {"languages": "Language", "past_deployments": "Past deployment"}


# What the audit trail records, as a person reads it in its "What" column.
AUDIT_ACTION_LABELS = {
    "create": "Created", "created": "Created", "update": "Changed", "rename": "Renamed", "revoke": "Revoked",
    "propose": "Proposed", "approve": "Approved", "reject": "Rejected", "accept": "Accepted",
    "decline": "Declined", "decline_by_requester": "Declined by the requesting organization",
    "decline_by_provider": "Declined by the providing organization", "confirm": "Release confirmed",
    "deploy": "Expert deployed", "complete": "Deployment completed", "withdraw": "Withdrawn",
    "expire": "Expired", "cancel": "Cancelled", "close": "Closed", "cancel_need": "Withdrawn with the need",
    "close_need": "Withdrawn with the need", "superseded": "Replaced by a later match run",
    "fill_changed": "Positions filled changed", "roster_import": "Imported from a roster file",
    "role_change": "Role changed", "activate": "Reactivated", "deactivate": "Deactivated",
    "resend": "Invitation sent again", "join": "Joined", "focal_point_named": "Focal point named",
    "update_profile": "Profile changed", "password_change": "Password changed",
    "password_reset": "Password reset", "password_reset_requested": "Password reset asked for",
    "email_change": "E-mail address changed", "email_change_requested": "E-mail address change asked for",
    "start": "Started", "succeed": "Finished", "fail": "Failed",
}


def audit_action(code: str) -> str:
    """An audit event's action in words ("approve" -> "Approved")."""
    return AUDIT_ACTION_LABELS.get(code) or label(code)

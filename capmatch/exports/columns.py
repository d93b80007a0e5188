"""The columns of each export: a name (the CSV header, the JSON key) and its HXL 1.1 hashtag.

HXL (the Humanitarian Exchange Language, hxlstandard.org) tags a column with a hashtag from the
standard's dictionary and attributes of the publisher's choosing: #org is the requesting
organization, #org+provider the providing one, #country the duty country and #country+provider
the provider's; ids are #meta+id. The duty station's first administrative level (#adm1) is not
recorded by the marketplace, so no export claims it. Pure: the statements that fill the columns
are in capmatch.exports.datasets, in the same order.
"""

from __future__ import annotations

from typing import NamedTuple


class Column(NamedTuple):
    name: str
    tag: str


def _columns(*pairs: str) -> tuple[Column, ...]:
    return tuple(Column(*pair.split(maxsplit=1)) for pair in pairs)


# The requesting side: the need, its organization, where and what.
_NEED_SIDE = (
    "need_id #meta+need+id", "need_title #activity+name", "requester_id #org+id", "requester #org+name",
    "duty_country_code #country+code", "duty_country #country+name", "duty_region #region+name",
    "cluster_code #sector+code", "cluster #sector+name", "area_code #subsector+code", "area #subsector+name",
)
# The providing side: the organization and where it is from.
_PROVIDER_SIDE = (
    "provider_id #org+provider+id", "provider #org+provider+name", "provider_kind #org+provider+type",
    "provider_country_code #country+provider+code", "provider_country #country+provider+name",
)
_EXPERT = (
    "nationality_code #country+nationality+code", "nationality #country+nationality+name", "gender #meta+gender",
)

NEEDS = _columns(
    "need_id #meta+id", "title #activity+name", "requester_id #org+id", "requester #org+name",
    "duty_country_code #country+code", "duty_country #country+name", "duty_region #region+name",
    "cluster_code #sector+code", "cluster #sector+name", "area_code #subsector+code", "area #subsector+name",
    "skills #meta+skills", "languages #meta+languages", "min_years_experience #indicator+num+experience",
    "positions #indicator+num+positions", "answer_by #date+deadline", "start_by #date+start", "end_by #date+end",
    "duration_months #indicator+num+months", "modality #modality", "funding #meta+funding", "urgency #severity",
    "gender_target #indicator+pct+women", "status #status", "created_at #date+posted",
)

OFFERS = _columns(
    "offer_id #meta+id", "kind #meta+kind", "title #meta+title", "summary #description", *_PROVIDER_SIDE,
    *_EXPERT, "years_experience #indicator+num+experience", "cluster_codes #sector+code",
    "area_codes #subsector+code", "skills #meta+skills", "languages #meta+languages", "capacity #capacity+num",
    "reserved #capacity+num+reserved", "available_from #date+start", "available_until #date+end",
    "lead_time_days #indicator+num+lead_days", "max_duration_months #indicator+num+months",
    "monthly_cost_usd #value+usd+monthly", "cost_bearer #meta+cost_bearer", "status #status",
    # Personal data: empty unless the reader may see it (capmatch.offers.queries.can_see_personal_data).
    "expert_name #contact+name", "expert_email #contact+email",
)

PROPOSALS = _columns(
    "proposal_id #meta+id", "run_id #meta+run+id", "status #status", "score #indicator+score", *_NEED_SIDE,
    "offer_id #meta+offer+id", "offer_title #meta+offer+title", *_PROVIDER_SIDE, "start_by #date+start",
    "end_by #date+end", "deadline_at #date+deadline", "reason #description+reason", "created_at #date+created",
    "updated_at #date+updated",
)

DEPLOYMENTS = _columns(
    "proposal_id #meta+id", "status #status", *_NEED_SIDE, "offer_id #meta+offer+id", "offer_kind #meta+kind",
    *_PROVIDER_SIDE, *_EXPERT, "start_by #date+start", "end_by #date+end", "duration_months #indicator+num+months",
    "appraisal #indicator+appraisal",
)

GAPS = _columns(
    "run_id #meta+run+id", *_NEED_SIDE, "languages #meta+languages", "positions #indicator+num+positions",
    "unfilled #indicator+num+unfilled", "start_by #date+start", "end_by #date+end",
    "main_reason #meta+reason+code", "reasons #description+reasons",
)

COLUMNS = {"needs": NEEDS, "offers": OFFERS, "proposals": PROPOSALS, "deployments": DEPLOYMENTS, "gaps": GAPS}

"""The offer form: posted fields <-> the API's OfferCreate/OfferUpdate, and an offer's values for editing.

Field names are the schema's error paths ("languages[0].level"), so a pydantic error and a
service's error land on the same input.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from capmatch.enums import CEFR_LEVELS, COST_BEARERS, GENDERS, OFFER_KINDS
from capmatch.offers.queries import OfferRecord
from capmatch.offers.schemas import OfferCreate, OfferUpdate
from capmatch.web.labels import labelled
from capmatch.web.forms import FormErrors, chosen, optional, row_numbers, schema_text

LANGUAGE_ROWS = 3  # empty rows offered below the filled ones: adding one needs no JavaScript
PAST_ROWS = 2  # the same for past deployments
PAST_PARTS = ("country", "organization_name", "role", "started_on", "ended_on", "appraisal")
SIMPLE_FIELDS = (
    "kind", "title", "summary", "expert_name", "expert_email", "nationality", "gender", "years_experience",
    "skills", "capacity", "available_from", "available_until", "lead_time_days", "max_duration_months",
    "monthly_cost_usd", "cost_bearer", "screening_valid_until", "credentials_valid_until",
)
# Left blank, these take the schema's default; the others are sent as "empty" (None).
DEFAULTED = ("years_experience", "capacity", "lead_time_days", "max_duration_months")


# Read in the language of the page that shows them.
OPTIONS = {
    "kind": labelled(OFFER_KINDS),
    "gender": labelled(GENDERS),
    "cost_bearer": labelled(COST_BEARERS),
    "levels": [(lvl, lvl) for lvl in CEFR_LEVELS],
}


def language_rows(values: dict[str, Any]) -> int:
    filled = sum(1 for key in values if key.startswith("languages[") and key.endswith("].code"))
    return filled + LANGUAGE_ROWS


def past_rows(values: dict[str, Any]) -> int:
    filled = sum(1 for key in values if key.startswith("past_deployments[") and key.endswith("].country"))
    return filled + PAST_ROWS


def known_fields(values: dict[str, Any]) -> set[str]:
    rows = language_rows(values)
    return {*SIMPLE_FIELDS, "areas", "languages", "past_deployments",
            *(f"languages[{i}].{part}" for i in range(rows) for part in ("code", "level")),
            *(f"past_deployments[{i}].{part}" for i in range(past_rows(values)) for part in PAST_PARTS)}


def _read_past_deployments(form: FormData, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The provider's own past deployments: rows left wholly empty are dropped, the rest renumbered from 0."""
    rows = []
    for i in row_numbers(form, "past_deployments"):
        row = {part: schema_text(form, f"past_deployments[{i}].{part}") for part in PAST_PARTS}
        if any(row.values()):
            rows.append(row)
    for i, row in enumerate(rows):
        values.update({f"past_deployments[{i}].{part}": text for part, text in row.items()})
    return [{part: text or None for part, text in row.items()} for row in rows]


def read_offer_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """(raw values to show again, data for OfferCreate)."""
    values: dict[str, Any] = {name: schema_text(form, name) for name in SIMPLE_FIELDS}
    values["areas"] = [a for a in form.getlist("areas") if isinstance(a, str) and a]
    values["skills"] = chosen(form, "skills")
    languages = []
    rows = row_numbers(form, "languages")
    for i in rows:
        code, level = schema_text(form, f"languages[{i}].code"), schema_text(form, f"languages[{i}].level")
        if code or level:
            languages.append({"code": code, "level": level})
    # Renumbered from 0 so an error's index names the row shown again.
    for i, lang in enumerate(languages):
        values[f"languages[{i}].code"], values[f"languages[{i}].level"] = lang["code"], lang["level"]
    data: dict[str, Any] = {name: optional(form, name) for name in SIMPLE_FIELDS}
    for name in DEFAULTED:
        if data[name] is None:
            del data[name]
    data["summary"] = values["summary"]
    data["skills"] = values["skills"]
    data["areas"] = values["areas"]
    data["languages"] = languages
    data["past_deployments"] = _read_past_deployments(form, values)
    return values, data


def to_update(data: OfferCreate) -> OfferUpdate:
    """Every field the form shows, set (past deployments: the provider's own; the hosts' records stay)."""
    return OfferUpdate(**data.model_dump(exclude={"provider_org_id"}))


def values_of(record: OfferRecord) -> dict[str, Any]:
    def iso(d):
        return d.isoformat() if d else ""

    personal = record.personal
    values: dict[str, Any] = {
        "kind": record.kind, "title": record.title, "summary": record.summary,
        "expert_name": personal.expert_name if personal else "",
        "expert_email": personal.expert_email if personal else "",
        "nationality": record.nationality or "", "gender": record.gender or "",
        "years_experience": record.years_experience, "skills": list(record.skills),
        "capacity": record.capacity, "available_from": iso(record.available_from),
        "available_until": iso(record.available_until), "lead_time_days": record.lead_time_days,
        "max_duration_months": record.max_duration_months,
        "monthly_cost_usd": "" if record.monthly_cost_usd is None else str(record.monthly_cost_usd),
        "cost_bearer": record.cost_bearer, "screening_valid_until": iso(record.screening_valid_until),
        "credentials_valid_until": iso(record.credentials_valid_until), "areas": list(record.areas),
    }
    for i, lang in enumerate(record.languages):
        values[f"languages[{i}].code"], values[f"languages[{i}].level"] = lang.code, lang.level
    own = [d for d in record.past_deployments if d.proposal_id is None]
    for i, d in enumerate(own):
        values.update({
            f"past_deployments[{i}].country": d.country, f"past_deployments[{i}].organization_name":
            d.organization_name or "", f"past_deployments[{i}].role": d.role,
            f"past_deployments[{i}].started_on": iso(d.started_on), f"past_deployments[{i}].ended_on": iso(d.ended_on),
            f"past_deployments[{i}].appraisal": "" if d.appraisal is None else str(d.appraisal),
        })
    return values


def merge(errors: FormErrors, more: dict[str, str]) -> FormErrors:
    for field, message in more.items():
        errors.add(field, message)
    return errors

"""The need form: posted fields <-> the API's NeedCreate/NeedUpdate, and a need's values for editing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData

from capmatch.enums import CEFR_LEVELS, FUNDING, MODALITIES, ORGANIZATION_KINDS, URGENCIES
from capmatch.needs.queries import NeedRecord
from capmatch.needs.schemas import NeedCreate
from capmatch.i18n import _
from capmatch.web.labels import labelled
from capmatch.web.forms import FormErrors, checked, chosen, optional, row_numbers, schema_text

LANGUAGE_ROWS = 3  # empty rows offered below the filled ones; no JavaScript needed to add one
SIMPLE_FIELDS = ("title", "duty_country", "area", "terms_of_reference", "skills", "min_years_experience",
                 "positions", "start_by", "answer_by", "duration_months", "modality", "funding", "urgency",
                 "gender_target")


def language_rows(values: dict[str, Any]) -> int:
    filled = sum(1 for key in values if key.startswith("languages[") and key.endswith("].code"))
    return filled + LANGUAGE_ROWS


def known_fields(values: dict[str, Any]) -> set[str]:
    """Field paths the form shows: a service error on any other field goes above the form."""
    rows = language_rows(values)
    return {*SIMPLE_FIELDS, "eligible_members_of", "allowed_provider_kinds", "exclude_duty_nationals", "languages",
            *(f"languages[{i}].{part}" for i in range(rows) for part in ("code", "min_level"))}


# The order the form shows its fields in, so the error summary reads top to bottom.
FORM_ORDER = ("", "title", "duty_country", "area", "terms_of_reference", "skills", "languages", "positions",
              "start_by", "answer_by", "duration_months", "min_years_experience", "modality", "funding", "urgency",
              "eligible_members_of", "allowed_provider_kinds", "exclude_duty_nationals", "gender_target")


def in_form_order(errors: FormErrors) -> FormErrors:
    return errors.in_order(FORM_ORDER)


def read_need_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], FormErrors]:
    """(raw values to re-render, data for the schema, errors found before the schema sees it)."""
    values: dict[str, Any] = {name: schema_text(form, name) for name in SIMPLE_FIELDS}
    values["allowed_provider_kinds"] = [k for k in form.getlist("allowed_provider_kinds") if isinstance(k, str)]
    values["skills"] = chosen(form, "skills")
    values["exclude_duty_nationals"] = checked(form, "exclude_duty_nationals")
    values["eligible_members_of"] = chosen(form, "eligible_members_of")
    errors = FormErrors()
    groupings = [int(v) for v in values["eligible_members_of"] if v.isdigit()]
    if len(groupings) < len(values["eligible_members_of"]):
        errors.add("eligible_members_of", _("Choose the groupings from the list."))

    # Filled language rows, renumbered from 0, so an error's index names the row shown again.
    languages = []
    posted = row_numbers(form, "languages")
    for i in posted:
        code, level = schema_text(form, f"languages[{i}].code"), schema_text(form, f"languages[{i}].min_level")
        if code or level:
            # A half-filled row leaves the blank part out, so the schema says it is required.
            languages.append({k: v for k, v in (("code", code), ("min_level", level)) if v})
    for i, lang in enumerate(languages):
        values[f"languages[{i}].code"] = lang.get("code", "")
        values[f"languages[{i}].min_level"] = lang.get("min_level", "")

    data: dict[str, Any] = {
        "title": values["title"], "duty_country": values["duty_country"], "area": values["area"],
        "terms_of_reference": values["terms_of_reference"], "skills": values["skills"],
        "languages": languages, "start_by": optional(form, "start_by"), "answer_by": optional(form, "answer_by"),
        "duration_months": optional(form, "duration_months"), "modality": optional(form, "modality"),
        "funding": optional(form, "funding"), "urgency": optional(form, "urgency") or "normal",
        "min_years_experience": optional(form, "min_years_experience") or 0,
        "positions": optional(form, "positions") or 1,
        # No kind ticked means every kind may answer, as the API's null does.
        "allowed_provider_kinds": values["allowed_provider_kinds"] or None,
        "exclude_duty_nationals": values["exclude_duty_nationals"],
        # No grouping chosen: experts of any nationality may answer.
        "eligible_members_of": groupings,
        "gender_target": _gender_target(values["gender_target"], errors),
    }
    return values, data, errors


def _gender_target(raw: str, errors: FormErrors) -> Decimal | None:
    # People think in percent; the schema and the database keep a fraction.
    if not raw:
        return None
    try:
        percent = Decimal(raw.rstrip("%").strip())
    except InvalidOperation:
        percent = Decimal(-1)
    if not percent.is_finite() or not 0 <= percent <= 100:
        errors.add("gender_target", _("Enter a percentage from 0 to 100, or leave it empty."))
        return None
    return (percent / 100).quantize(Decimal("0.01"))


def values_of(record: NeedRecord) -> dict[str, Any]:
    """A need's current values, shaped as the form posts them."""
    n = record.need
    values: dict[str, Any] = {
        "title": n.title, "duty_country": n.duty_country_iso3, "area": n.area_code,
        "terms_of_reference": n.terms_of_reference, "skills": list(n.skills),
        "min_years_experience": n.min_years_experience, "positions": n.positions,
        "start_by": n.start_by.isoformat(), "answer_by": n.answer_by.isoformat() if n.answer_by else "",
        "duration_months": n.duration_months, "modality": n.modality,
        "funding": n.funding, "urgency": n.urgency,
        "gender_target": "" if n.gender_target is None else str(int(n.gender_target * 100)),
        "allowed_provider_kinds": list(n.allowed_provider_kinds or []),
        "exclude_duty_nationals": n.exclude_duty_nationals,
        "eligible_members_of": [str(org_id) for org_id in record.eligible_members_of],
    }
    for i, lang in enumerate(record.languages):
        values[f"languages[{i}].code"], values[f"languages[{i}].min_level"] = lang.code, lang.min_level
    return values


def copy_of(record: NeedRecord) -> NeedCreate:
    """A draft with the same content; a start-by date already past becomes today, and an answer-by date
    already past is left out, for the requester to set."""
    n = record.need
    today = date.today()
    return NeedCreate(
        duty_country=n.duty_country_iso3, title=n.title, terms_of_reference=n.terms_of_reference,
        area=n.area_code, skills=list(n.skills),
        languages=[{"code": lang.code, "min_level": lang.min_level} for lang in record.languages],
        min_years_experience=n.min_years_experience, positions=n.positions,
        start_by=max(n.start_by, today), answer_by=n.answer_by if n.answer_by and n.answer_by >= today else None,
        duration_months=n.duration_months, modality=n.modality,
        funding=n.funding, urgency=n.urgency, eligible_members_of=record.eligible_members_of,
        allowed_provider_kinds=n.allowed_provider_kinds, exclude_duty_nationals=n.exclude_duty_nationals,
        gender_target=n.gender_target, status="draft",
    )


# Read in the language of the page that shows them.
OPTIONS = {
    "modality": labelled(MODALITIES),
    "funding": labelled(FUNDING),
    "urgency": labelled(URGENCIES),
    "levels": [(lvl, lvl) for lvl in CEFR_LEVELS],
    "provider_kinds": labelled(ORGANIZATION_KINDS),
}

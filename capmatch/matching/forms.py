"""The match run form: the officer's policy form <-> RunCreate."""

from __future__ import annotations

import math
from typing import Any

from starlette.datastructures import FormData

from capmatch.matching.core.policy import COMPONENTS
from capmatch.matching.core.policy import CONSTRAINTS as POLICY_CONSTRAINTS
from capmatch.matching.schemas import RunCreate
from capmatch.web.forms import FormErrors, schema_text, validate
from capmatch.web.labels import CONSTRAINT_LABELS, CONSTRAINT_RANGE_MESSAGES, WEIGHT_RANGE_MESSAGE

# (name, label, hint) in the order the form shows them: every side constraint the core declares.
CONSTRAINTS = tuple((name, *CONSTRAINT_LABELS[name]) for name in POLICY_CONSTRAINTS)
SCOPE = ("cluster", "area", "country")
# Out of range says what the range is, in the form's terms (the schema's own text reads "0.0 or more").
RANGE_MESSAGES = {"weights": WEIGHT_RANGE_MESSAGE,
                  **{f"constraints.{name}": message for name, message in CONSTRAINT_RANGE_MESSAGES.items()}}
FIELD_ORDER = ("", "policy", "weights", *(f"weights.{c}" for c in COMPONENTS),
               *(f"constraints.{c[0]}" for c in CONSTRAINTS), *(f"scope.{s}" for s in SCOPE))


def known_fields() -> set[str]:
    return set(FIELD_ORDER) - {""}


def in_form_order(errors: FormErrors) -> FormErrors:
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    return FormErrors({f: errors[f] for f in sorted(errors, key=lambda f: rank.get(f, len(rank)))})


def _number(form: FormData, name: str, errors: FormErrors) -> float | None:
    raw = schema_text(form, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "nan" and "inf" parse as floats but mean nothing here
        errors.add(name, "Enter a number.")
        return None
    return value


def read_run_form(form: FormData) -> tuple[dict[str, Any], RunCreate | None, FormErrors]:
    """(raw values to re-render, the run request or None, errors by field)."""
    names = ["policy", *(f"weights.{c}" for c in COMPONENTS), *(f"constraints.{c[0]}" for c in CONSTRAINTS),
             *(f"scope.{s}" for s in SCOPE)]
    values = {name: schema_text(form, name) for name in names}
    errors = FormErrors()
    weights = {c: v for c in COMPONENTS if (v := _number(form, f"weights.{c}", errors)) is not None}
    constraints = {c: v for c, _l, _h in CONSTRAINTS
                   if (v := _number(form, f"constraints.{c}", errors)) is not None}
    scope = {s: values[f"scope.{s}"] for s in SCOPE if values[f"scope.{s}"]}
    data = {"policy": values["policy"] or None, "weights": weights or None,
            "constraints": constraints or None, "scope": scope or None}
    request, schema_errors = validate(RunCreate, data)
    for field, message in schema_errors.items():
        errors.add(field, RANGE_MESSAGES.get(field.split(".")[0] if field.startswith("weights") else field, message))
    return values, (request if not errors else None), errors

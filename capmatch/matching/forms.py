"""The officer's policy forms: the match run form <-> RunCreate, the saved policy form <-> PolicyIn."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from capmatch.i18n import gettext
from capmatch.matching.core.policy import COMPONENTS
from capmatch.matching.core.policy import CONSTRAINTS as POLICY_CONSTRAINTS
from capmatch.matching.schemas import PolicyIn, RunCreate
from capmatch.web.forms import FormErrors, checked, schema_text, valid_part, validate
from capmatch.web.labels import (
    COMPONENT_LABELS, CONSTRAINT_LABELS, CONSTRAINT_NUMBER_MESSAGES, CONSTRAINT_RANGE_MESSAGES, FIELD_WORDS,
    POLICY_NAME_MESSAGE, WEIGHT_NUMBER_MESSAGE, WEIGHT_RANGE_MESSAGE, plain_number,
)

def constraints() -> tuple[tuple[str, str, str], ...]:
    """(name, label, hint) in the order the form shows them: every side constraint the core declares."""
    return tuple((name, *CONSTRAINT_LABELS[name]) for name in POLICY_CONSTRAINTS)
SCOPE = ("cluster", "area", "country")


def range_message(field: str) -> str | None:
    """Out of range says what the range is, in the form's terms (the schema's own text reads "0.0 or more"),
    and which box: the weight's component or the constraint (in the language in use)."""
    kind, _dot, name = field.partition(".")
    if kind == "weights" and name in COMPONENTS:
        return gettext(WEIGHT_RANGE_MESSAGE, component=COMPONENT_LABELS[name])
    return CONSTRAINT_RANGE_MESSAGES.get(name) if kind == "constraints" else None


def number_message(field: str) -> str:
    """A box that holds no number says which box it is."""
    kind, _dot, name = field.partition(".")
    if kind == "weights":
        return gettext(WEIGHT_NUMBER_MESSAGE, component=COMPONENT_LABELS[name])
    return CONSTRAINT_NUMBER_MESSAGES[name]


NUMBERS = (*(f"weights.{c}" for c in COMPONENTS), *(f"constraints.{c}" for c in POLICY_CONSTRAINTS))
FIELD_ORDER = ("", "policy", "weights", *NUMBERS, *(f"scope.{s}" for s in SCOPE))
POLICY_FIELD_ORDER = ("", "name", "description", "weights", *NUMBERS, "is_default")


def known_fields(order: tuple[str, ...] = FIELD_ORDER) -> set[str]:
    return set(order) - {""}


def in_form_order(errors: FormErrors, order: tuple[str, ...] = FIELD_ORDER) -> FormErrors:
    return errors.in_order(order)


def policy_values(weights: Mapping[str, float], constraints: Mapping[str, float]) -> dict[str, str]:
    """A policy's numbers as the form's boxes show them."""
    return {**{f"weights.{k}": plain_number(v) for k, v in weights.items()},
            **{f"constraints.{k}": plain_number(v) for k, v in constraints.items()}}


def _number(form: FormData, name: str, errors: FormErrors) -> float | None:
    raw = schema_text(form, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "nan" and "inf" parse as floats but mean nothing here
        errors.add(name, number_message(name))
        return None
    return value


def _numbers(form: FormData, errors: FormErrors) -> tuple[dict[str, float], dict[str, float]]:
    """The weights and the constraints typed in the form's boxes (blank boxes left out)."""
    weights = {c: v for c in COMPONENTS if (v := _number(form, f"weights.{c}", errors)) is not None}
    constraints = {c: v for c in POLICY_CONSTRAINTS
                   if (v := _number(form, f"constraints.{c}", errors)) is not None}
    return weights, constraints


def _schema_errors(errors: FormErrors, schema_errors: FormErrors) -> None:
    for field, message in schema_errors.items():
        if field == "name" and message == gettext("Enter {field} in a valid form.", field=FIELD_WORDS["name"][0]):
            message = gettext(POLICY_NAME_MESSAGE)  # the name's pattern, said in full
        errors.add(field, range_message(field) or message)


def read_run_form(form: FormData) -> tuple[dict[str, Any], RunCreate | None, FormErrors, dict[str, Any]]:
    """(raw values to re-render, the run request or None, errors by field, the fields that passed the schema).

    A form filled from a saved policy posts replace_constraints: its boxes are the whole policy, so
    a constraint box emptied drops that constraint.
    """
    names = ["policy", *NUMBERS, *(f"scope.{s}" for s in SCOPE)]
    values: dict[str, Any] = {name: schema_text(form, name) for name in names}
    values["replace_constraints"] = checked(form, "replace_constraints")
    errors = FormErrors()
    weights, constraints = _numbers(form, errors)
    scope = {s: values[f"scope.{s}"] for s in SCOPE if values[f"scope.{s}"]}
    data = {"policy": values["policy"] or None, "weights": weights or None,
            "constraints": constraints or None, "scope": scope or None,
            "replace_constraints": values["replace_constraints"]}
    request, schema_errors = validate(RunCreate, data)
    _schema_errors(errors, schema_errors)
    return values, (request if not errors else None), errors, valid_part(RunCreate, data, errors) if errors else {}


def read_policy_form(form: FormData) -> tuple[dict[str, Any], PolicyIn | None, FormErrors, dict[str, Any]]:
    """(raw values to re-render, the saved policy or None, errors by field, the fields that passed the schema)."""
    values: dict[str, Any] = {name: schema_text(form, name) for name in ("name", "description", *NUMBERS)}
    values["is_default"] = checked(form, "is_default")
    errors = FormErrors()
    weights, constraints = _numbers(form, errors)
    data = {"name": values["name"] or None, "description": values["description"], "weights": weights or None,
            "constraints": constraints or None, "is_default": values["is_default"]}
    policy, schema_errors = validate(PolicyIn, data)
    _schema_errors(errors, schema_errors)
    return values, (policy if not errors else None), errors, valid_part(PolicyIn, data, errors) if errors else {}

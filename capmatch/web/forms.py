"""HTML forms on top of the API's pydantic schemas: read the posted form, validate, map errors to fields.

Field names follow the error paths the services use ("start_by", "languages[0].code"), so a
pydantic error and a domain error raised by a service land on the same input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import FormData

from capmatch.errors import CapmatchError, InvalidInput
from capmatch.inputs import INT4_MAX, INT8_MAX, MAX_PAGE, unstorable
from capmatch.web.messages import friendly
from capmatch.i18n import N_, _

M = TypeVar("M", bound=BaseModel)


async def read_form(request: Request) -> FormData:
    # Async so sync views can take the parsed form as an argument; Starlette caches it per request.
    return await request.form()


Form = Annotated[FormData, Depends(read_form)]


class FormErrors(dict[str, str]):
    """Field path -> message; the first message for a field wins. "" is the form as a whole."""

    def add(self, field: str | None, message: str) -> None:
        self.setdefault(field or "", message)

    def merge(self, other: dict[str, str]) -> None:
        for field, message in other.items():
            self.add(field, message)

    def in_order(self, order: Sequence[str]) -> FormErrors:
        """The errors in the order the form shows its fields, so the error summary reads top to bottom:
        the form as a whole first, a row's field ("languages[1].code") with its list, unknown fields last."""
        rank = {"": -1, **{name: i for i, name in enumerate(order)}}

        def place(field: str) -> tuple[int, str]:
            return (rank.get(field, rank.get(re.split(r"[.\[]", field)[0], len(rank))), field)

        return FormErrors({field: self[field] for field in sorted(self, key=place)})

    def add_domain_error(self, exc: CapmatchError, known_fields: set[str] | None = None) -> None:
        """A service's errors (all it found) go on the fields the form shows, else above the form."""
        self.add_domain_error_list(getattr(exc, "problems", [exc]), known_fields)

    def add_domain_error_list(self, problems: list[CapmatchError], known_fields: set[str] | None = None) -> None:
        for problem in problems:
            field = problem.field or ""
            if known_fields is not None and field not in known_fields:
                field = _nearest(field, known_fields)
            self.add(field, problem.message)


def _nearest(field: str, known: set[str]) -> str:
    # "languages[0]" -> the row's code input; "areas[2]" -> "areas"; else the form as a whole.
    for candidate in (field + ".code", re.sub(r"\[\d+\].*$", "", field)):
        if candidate in known:
            return candidate
    return ""


def field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def field_id(path: str) -> str:
    """An HTML id for a field path: "languages[0].code" -> "f-languages-0-code"."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def validate(model: type[M], data: dict[str, Any]) -> tuple[M | None, FormErrors]:
    """The model built from `data`, or None and the errors by field.

    A None (a blank input) is left out, so the schema's default applies or it reports "required".
    """
    errors = FormErrors()
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None}), errors
    except ValidationError as exc:
        for error in exc.errors():
            errors.add(field_path(tuple(error.get("loc", ()))), friendly(error))
        return None, errors


def valid_part(model: type[BaseModel], data: dict[str, Any], errors: FormErrors) -> dict[str, Any]:
    """The top-level fields of `data` that validate on their own, converted as `model` would.

    When a form has errors, its domain checks (a past date, an unknown country) still run on these,
    so every problem is reported in one answer rather than one stage per submit.
    """
    failed = {field.split(".")[0].split("[")[0] for field in errors}
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in failed or data.get(name) is None:
            continue
        try:
            adapter = _adapter(model, name)
            out[name] = adapter.dump_python(adapter.validate_python(data[name]))  # as model_dump() gives it
        except ValidationError:
            continue
    return out


def _adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    key = (model, name)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = TypeAdapter(model.model_fields[name].rebuild_annotation())
    return _ADAPTERS[key]


_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter] = {}


def text(form: FormData, name: str) -> str:
    """A posted field's text, stripped; text PostgreSQL cannot store is refused here, naming the field (a 422).

    A field a schema validates next is read with `schema_text` instead: the schema refuses it, inline.
    """
    value = schema_text(form, name)
    if message := unstorable(value):
        raise InvalidInput(_("The field '{name}' cannot be saved. {problem}", name=name, problem=message), field=name)
    return value


def schema_text(form: FormData, name: str) -> str:
    """A posted field's text, stripped, for a schema deriving from capmatch.inputs.Input to validate."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    """A blank input means "not given": pydantic then applies the default or reports it missing."""
    return schema_text(form, name) or None


def whole_number(raw: str, *, high: int = INT4_MAX) -> int | None:
    """A positive whole number typed or posted as text, if it is one that fits (an integer column by default)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    return int(raw) if 1 <= int(raw) <= high else None


def page_number(form: FormData, name: str = "page") -> int:
    """The list page a form was posted from (a hidden field), to show it again: 1 when absent or odd."""
    return min(whole_number(text(form, name), high=INT8_MAX) or 1, MAX_PAGE)


_ROW = re.compile(r"([a-z_]+)\[([0-9]{1,3})\]\.[a-z_]+")


def row_numbers(form: FormData, prefix: str) -> list[int]:
    """The row numbers a form posted under `prefix[N].field`, in order; a name that is not of that
    shape (another digit system, a number of many digits) is not a row."""
    rows = set()
    for key in form.keys():
        found = _ROW.fullmatch(key)
        if found and found.group(1) == prefix:
            rows.add(int(found.group(2)))
    return sorted(rows)


def checked(form: FormData, name: str) -> bool:
    return form.get(name) not in (None, "", "0", "false", "off")


def chosen(form: FormData, name: str) -> list[str]:
    """The values of a multiple select or of checkboxes sharing a name, blanks dropped."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def split_list(value: str) -> list[str]:
    """Comma- or line-separated entries, blanks dropped: how a person types a list into one box."""
    return [item.strip() for item in re.split(r"[,\n]", value) if item.strip()]


def save(session, errors: FormErrors, known: set[str], call, *, page_statuses=(401, 403, 404)) -> Any:
    """Run a service call in a savepoint: on a domain error nothing it did stays, the error goes on its field.

    An error whose status is in `page_statuses` is not a form problem: it propagates to the error page.
    """
    try:
        with session.begin_nested():
            return call()
    except CapmatchError as exc:
        if exc.status in page_statuses:
            raise
        errors.add_domain_error(exc, known)
        return None


# What the number typed in a box named so numbers, for its error message.
ANY_NUMBER = N_("Enter the record's number as a whole number, such as 12.")
NUMBERED = {
    "need": N_("Enter the need's number as a whole number, such as 12."),
    "need_id": N_("Enter the need's number as a whole number, such as 12."),
    "offer": N_("Enter the offer's number as a whole number, such as 12."),
    "offer_id": N_("Enter the offer's number as a whole number, such as 12."),
    "run": N_("Enter the match run's number as a whole number, such as 12."),
    "proposal": N_("Enter the proposal's number as a whole number, such as 12."),
}


def parse_id(raw: str, field: str, errors: FormErrors) -> int | None:
    """A record number typed in a form or a query string; None (with an error on the field) if it is not one."""
    if not raw:
        return None
    if (ident := whole_number(raw)) is not None:
        return ident
    errors.add(field, _(NUMBERED.get(field, ANY_NUMBER)))
    return None

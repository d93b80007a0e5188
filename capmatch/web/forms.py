"""HTML forms on top of the API's pydantic schemas: read the posted form, validate, map errors to fields.

Field names follow the error paths the services use ("start_by", "languages[0].code"), so a
pydantic error and a domain error raised by a service land on the same input.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from capmatch.errors import CapmatchError, InvalidInput
from capmatch.inputs import INT4_MAX, INT8_MAX, MAX_PAGE, unstorable

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

    def add_domain_error(self, exc: CapmatchError, known_fields: set[str] | None = None) -> None:
        """A service's error on a field the form shows goes on that field, else above the form."""
        field = exc.field or ""
        if known_fields is not None and field not in known_fields:
            field = _nearest(field, known_fields)
        self.add(field, exc.message)


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


def friendly(error: dict[str, Any]) -> str:
    """A message a person understands for one pydantic error."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "This field is required."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Enter a whole number."
    if kind in ("decimal_parsing", "float_parsing", "decimal_type"):
        return "Enter a number."
    if kind.startswith("date_"):
        return "Enter a date as YYYY-MM-DD."
    if kind in ("literal_error", "enum"):
        return "Choose one of the options."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Enter {ctx.get('ge', ctx.get('gt'))} or more."
    if kind in ("less_than_equal", "less_than"):
        return f"Enter {ctx.get('le', ctx.get('lt'))} or less."
    if kind == "string_too_short":
        return f"Enter at least {ctx.get('min_length')} characters."
    if kind == "string_too_long":
        return f"Enter at most {ctx.get('max_length')} characters."
    if kind == "too_short":
        return "Choose at least one."
    if kind == "too_long":
        return f"Give at most {ctx.get('max_length')}."
    if kind == "decimal_max_places":
        return f"Use at most {ctx.get('decimal_places')} decimal places."
    message = str(error.get("msg", "This value is not valid."))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


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


def text(form: FormData, name: str) -> str:
    """A posted field's text, stripped; text PostgreSQL cannot store is refused here, naming the field (a 422).

    A field a schema validates next is read with `schema_text` instead: the schema refuses it, inline.
    """
    value = schema_text(form, name)
    if message := unstorable(value):
        raise InvalidInput(f"The field '{name}' cannot be saved. {message}", field=name)
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


def parse_id(raw: str, field: str, errors: FormErrors) -> int | None:
    """A record number typed in a form or a query string; None (with an error on the field) if it is not one."""
    if not raw:
        return None
    if (ident := whole_number(raw)) is not None:
        return ident
    errors.add(field, "Enter a proposal, need or offer number (a whole number).")
    return None

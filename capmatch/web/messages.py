"""A form's error in plain words: it names the field and says what to do, never a validator's text.

Pydantic's own wording ("String should match pattern '^[A-Za-z]{3}$'") is for developers; a
person reads "Choose the duty station". The field's words and whether it is chosen from a list
come from capmatch.web.labels (FIELD_WORDS), so they are defined once.
"""

from __future__ import annotations

from typing import Any

from capmatch.i18n import _
from capmatch.i18n.formats import number
from capmatch.web.labels import A_VALID, AT_LEAST_ONE, FIELD_WORDS, ROW_WORDS


def field_words(loc: tuple[Any, ...]) -> tuple[str, bool, str]:
    """(the field's words, whether a person chooses it from a list, the row it is on, e.g. "Language 2: ")."""
    names = [part for part in loc if isinstance(part, str)]
    name = names[-1] if names else ""
    # A row's field may read differently from a field of that name on its own ("role").
    inner = FIELD_WORDS.get(".".join(names[-2:])) if len(names) > 1 else None
    words, chosen = inner or FIELD_WORDS.get(name) or (_("this field"), False)
    row = ""
    for i, part in enumerate(loc[:-1]):
        if isinstance(part, int) and i > 0 and isinstance(loc[i - 1], str) and loc[i - 1] in ROW_WORDS:
            row = _("{row} {number}: ", row=ROW_WORDS[loc[i - 1]], number=part + 1)
    return words, chosen, row


def _sentence(row: str, text: str) -> str:
    return row + (text[0].lower() + text[1:] if row else text)


def _last_name(error: dict[str, Any]) -> str:
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    return names[-1] if names else ""


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def friendly(error: dict[str, Any]) -> str:
    """A message a person understands for one pydantic error, naming the field."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    the, chosen, row = field_words(tuple(error.get("loc", ())))
    title = _capital(the)
    choose = _("Choose {field}.", field=the) if chosen else _("Enter {field}.", field=the)
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1) \
            or ("input" in error and error["input"] in ("", None)):
        message = choose
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message = _("Enter {field} as a whole number.", field=the)
    elif kind in ("decimal_parsing", "float_parsing", "decimal_type", "float_type"):
        message = _("Enter {field} as a number.", field=the)
    elif kind.startswith("date_"):
        message = _("Enter {field} as a date (YYYY-MM-DD).", field=the)
    elif kind in ("literal_error", "enum") or (kind == "string_pattern_mismatch" and chosen):
        message = _("Choose {field} from the list.", field=the)
    elif kind == "string_pattern_mismatch":
        message = A_VALID.get(_last_name(error)) or _("Enter {field} in a valid form.", field=the)
    elif kind in ("greater_than_equal", "greater_than"):
        bound = number(ctx.get("ge", ctx.get("gt")))
        message = (_("{Field} must be {bound} or more.", Field=title, bound=bound) if "ge" in ctx
                   else _("{Field} must be more than {bound}.", Field=title, bound=bound))
    elif kind in ("less_than_equal", "less_than"):
        bound = number(ctx.get("le", ctx.get("lt")))
        message = (_("{Field} must be {bound} or less.", Field=title, bound=bound) if "le" in ctx
                   else _("{Field} must be less than {bound}.", Field=title, bound=bound))
    elif kind == "string_too_short":
        message = _("Make {field} at least {count} characters long.", field=the, count=ctx.get("min_length"))
    elif kind == "string_too_long":
        message = _("Shorten {field} to {count} characters at most.", field=the, count=ctx.get("max_length"))
    elif kind == "too_short":
        message = AT_LEAST_ONE.get(_last_name(error)) or choose
    elif kind == "too_long":
        message = _("Give at most {count} for {field}.", field=the, count=ctx.get("max_length"))
    elif kind in ("decimal_max_places", "decimal_max_digits", "decimal_whole_digits"):
        message = _("Enter {field} with at most {count} decimal places.", field=the,
                    count=ctx.get("decimal_places", 2))
    elif kind in ("bool_parsing", "bool_type"):
        message = _("Tick or untick {field}.", field=the)
    elif kind == "text_unstorable":
        message = _("{Field}: {problem}", Field=title, problem=error.get("msg"))
    elif kind in ("value_error", "assertion_error"):
        # Our own validators' messages: said after the field they are about.
        reason = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        message = (_("{Field} {problem}", Field=title, problem=reason) if reason and reason[0].islower()
                   else (reason or _("Check {field}.", field=the)))
    else:
        message = _("Choose {field} from the list.", field=the) if chosen else _("Check {field}: it is not valid.", field=the)
    return _sentence(row, message)

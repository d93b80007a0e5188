"""A form's error in plain words: it names the field and says what to do, never a validator's text.

Pydantic's own wording ("String should match pattern '^[A-Za-z]{3}$'") is for developers; a
person reads "Choose the duty station". The field's words and whether it is chosen from a list
come from capmatch.web.labels (FIELD_WORDS), so they are defined once.
"""

from __future__ import annotations

from typing import Any

from capmatch.web.labels import FIELD_WORDS, ROW_WORDS, code_label


def field_words(loc: tuple[Any, ...]) -> tuple[str, bool, str]:
    """(the field's words, whether a person chooses it from a list, the row it is on, e.g. "Language 2: ")."""
    names = [part for part in loc if isinstance(part, str)]
    name = names[-1] if names else ""
    # A row's field may read differently from a field of that name on its own ("role").
    inner = FIELD_WORDS.get(".".join(names[-2:])) if len(names) > 1 else None
    words, chosen = inner or FIELD_WORDS.get(name, (code_label(name).lower() or "this field", False))
    row = ""
    for i, part in enumerate(loc[:-1]):
        if isinstance(part, int) and i > 0 and isinstance(loc[i - 1], str) and loc[i - 1] in ROW_WORDS:
            row = f"{ROW_WORDS[loc[i - 1]]} {part + 1}: "
    return words, chosen, row


def _sentence(row: str, text: str) -> str:
    return row + (text[0].lower() + text[1:] if row else text)


def friendly(error: dict[str, Any]) -> str:
    """A message a person understands for one pydantic error, naming the field."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    words, chosen, row = field_words(tuple(error.get("loc", ())))
    the = words if words.startswith(("the ", "your ", "a ", "an ", "who ", "how ", "what ", "why ")) else f"the {words}"
    title = the[0].upper() + the[1:]
    choose = f"Choose {the}." if chosen else f"Enter {the}."
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1) \
            or ("input" in error and error["input"] in ("", None)):
        message = choose
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message = f"Enter {the} as a whole number."
    elif kind in ("decimal_parsing", "float_parsing", "decimal_type", "float_type"):
        message = f"Enter {the} as a number."
    elif kind.startswith("date_"):
        message = f"Enter {the} as a date (YYYY-MM-DD)."
    elif kind in ("literal_error", "enum", "string_pattern_mismatch") and chosen:
        message = f"Choose {the} from the list."
    elif kind == "string_pattern_mismatch":
        message = f"Enter a valid {words.removeprefix('the ')}."
    elif kind in ("literal_error", "enum"):
        message = f"Choose {the} from the list."
    elif kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        message = f"{title} must be {bound} or more." if "ge" in ctx else f"{title} must be more than {bound}."
    elif kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        message = f"{title} must be {bound} or less." if "le" in ctx else f"{title} must be less than {bound}."
    elif kind == "string_too_short":
        message = f"Make {the} at least {ctx.get('min_length')} characters long."
    elif kind == "string_too_long":
        message = f"Shorten {the} to {ctx.get('max_length')} characters at most."
    elif kind == "too_short":
        message = f"Choose at least one {words.removeprefix('the ')}." if chosen else f"Enter {the}."
    elif kind == "too_long":
        message = f"Give at most {ctx.get('max_length')} for {the}."
    elif kind in ("decimal_max_places", "decimal_max_digits", "decimal_whole_digits"):
        message = f"Enter {the} with at most {ctx.get('decimal_places', 2)} decimal places."
    elif kind in ("bool_parsing", "bool_type"):
        message = f"Tick or untick {the}."
    elif kind == "text_unstorable":
        message = f"{title}: {error.get('msg')}"
    elif kind in ("value_error", "assertion_error"):
        # Our own validators' messages: said after the field they are about.
        reason = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        message = f"{title} {reason}" if reason and reason[0].islower() else (reason or f"Check {the}.")
    else:
        message = f"Check {the}: it is not valid." if not chosen else f"Choose {the} from the list."
    return _sentence(row, message)

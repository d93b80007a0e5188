"""Finds the text of a template that a person would read untranslated: text between tags, the
attributes people read (title, alt, placeholder, aria-label, a button's value), and quoted strings
in expressions that look like words, unless they go through gettext (`_()`, `{% trans %}`)."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser

from jinja2 import Environment

GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription"}
BUTTON_TYPES = {"submit", "button", "reset"}
HOLE = "\x00"  # where the template puts something of its own: an expression, a tag, translated text
# Words that read the same in every language: the product's name and the names of file formats.
SAME_IN_EVERY_LANGUAGE = {"CapMatch", "CSV", "JSON", "XLSX", "HXL", "OpenAPI", "UTC", "ISO", "SVG", "PNG"}
ATTRIBUTES_WRITTEN = re.compile(r"""(\s*[\w:-]+=("[^"]*"|'[^']*'))*\s*""")
LETTER = re.compile(r"[^\W\d_]")


def has_words(text: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’.-]*", text.replace(HOLE, " "))
    return any(word.strip(".-") not in SAME_IN_EVERY_LANGUAGE for word in words)


def looks_like_words(value: str, names: set[str]) -> bool:
    """A quoted string a person may read: capitals or several words, not only CSS classes or codes."""
    if not LETTER.search(value) or not has_words(value):
        return False
    if re.fullmatch(r"[%a-z0-9_./:#?=&{}\-]*", value):
        return False  # a code, a route's name, a path, a format
    words = value.split()
    if all(re.fullmatch(r"[a-z0-9_-]+", w) and w in names for w in words):
        return False  # CSS classes
    return bool(re.search(r"[A-Z]", value) or len(words) > 1)


def skeleton(env: Environment, source: str, css_classes: set[str]) -> tuple[str, list[tuple[int, str]]]:
    """The template's HTML with every Jinja part replaced by HOLE (lines kept), and the untranslated
    strings found in its expressions."""
    parts: list[str] = []
    strings: list[tuple[int, str]] = []
    in_trans = False
    calls: list[bool] = []  # the open parentheses: whether each is a gettext call's
    previous = ""
    block_words: list[str] = []
    for lineno, kind, value in env.lex(source):
        if kind == "data":
            parts.append(HOLE + "\n" * value.count("\n") if in_trans else value)
            continue
        if kind in ("variable_begin", "block_begin"):
            parts.append(" " if _between_attributes("".join(parts[-40:])) else HOLE)
        else:
            parts.append("\n" * str(value).count("\n"))
        if kind == "block_begin":
            block_words = []
        elif kind == "name" and not block_words:
            block_words.append(value)
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        elif kind == "operator" and value in "([{":
            calls.append(value == "(" and previous in GETTEXT_CALLS)
        elif kind == "operator" and value in ")]}" and calls:
            calls.pop()
        elif kind == "string" and not (calls and calls[-1]):
            text = ast.literal_eval(value)
            if looks_like_words(text, css_classes):
                strings.append((lineno, text))
        if kind not in ("whitespace",):
            previous = value if kind == "name" else kind
    return "".join(parts), strings


def _between_attributes(before: str) -> bool:
    """Whether the text so far ends inside a tag and outside any quoted value: a Jinja part there
    writes attributes, not text."""
    opened, closed = before.rfind("<"), before.rfind(">")
    if opened <= closed:
        return False
    inside = before[opened:]
    return inside.count('"') % 2 == 0 and inside.count("'") % 2 == 0


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag in ("input", "button") and attributes.get("type") in BUTTON_TYPES and tag == "input")
            if read and value and has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if ATTRIBUTES_WRITTEN.fullmatch(data.replace(HOLE, "")):
            return  # a macro that writes a tag's attributes
        if not self._skip and has_words(data):
            self.found.append((self.getpos()[0], data.strip().replace(HOLE, "…")))


def untranslated(env: Environment, source: str, css_classes: set[str]) -> list[tuple[int, str]]:
    html, strings = skeleton(env, source, css_classes)
    finder = _TextFinder()
    finder.feed(html)
    finder.close()
    return sorted(finder.found + strings)

"""What a person reads where a code's word belongs: the text of a page or of one element of it.

Attribute values (an option's value, a link, a class) are never text; an option's own text is.
"""

from __future__ import annotations

import re

from capmatch.web.labels import label
from tests.web.html import Element, parse


def page(response) -> Element:
    """The page's <main>, once the response is known to be a page."""
    assert response.status_code == 200, response.status_code
    doc = parse(response.text)
    return doc.find("main") or doc


def visible(response) -> str:
    return page(response).text


def assert_word_shown(text: str, code: str) -> None:
    """`code`'s word is in `text`, and the code itself is not, unless the word reads the same
    ("open" is both; "partially_filled" and "optimal" are not their words)."""
    word = label(code)
    assert word.lower() in text.lower(), f"{word!r} not shown for {code!r} in {text[:300]!r}"
    if code.lower() not in word.lower():
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), f"the code {code!r} is shown"


def row_of(doc: Element, href: str) -> Element:
    """The table row holding a link to `href`."""
    for row in doc.find_all("tr"):
        if row.find("a", href=href) is not None:
            return row
    raise AssertionError(f"no row links to {href}")


def cell(row: Element, heading: str) -> str:
    """The text of a row's cell under `heading` (its data-label)."""
    found = row.find("td", data_label=heading)
    assert found is not None, f"no {heading!r} cell"
    return found.text


def assert_column_in_words(doc: Element, heading: str, links: dict[str, str]) -> None:
    """Each code's word is in the `heading` cell of the row linking to its record."""
    for code, href in links.items():
        assert_word_shown(cell(row_of(doc, href), heading), code)


def fact(doc: Element, term: str) -> str:
    """The text of the <dd> a <dt> reading `term` describes."""
    for dt in doc.find_all("dt"):
        if dt.text == term:
            siblings = [c for c in dt.parent.children if isinstance(c, Element)]
            return siblings[siblings.index(dt) + 1].text
    raise AssertionError(f"no {term!r} fact")


def chosen(doc: Element, select_id: str) -> str:
    """The text of the option a <select> shows as chosen."""
    select = doc.by_id(select_id)
    assert select is not None, f"no select {select_id!r}"
    picked = select.find("option", selected=True)
    assert picked is not None, f"nothing chosen in {select_id!r}"
    return picked.text

"""Every text a person reads is in the catalogs, and French has each of them, translated and current."""

from __future__ import annotations

import re

import pytest

from capmatch.config import REPO_ROOT
from capmatch.web.templating import templates
from tests.i18n.catalogs import TEMPLATE_DIR, TEMPLATES, key, language_catalog, marked, template_catalog
from tests.i18n.template_text import untranslated

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_][a-z0-9_]*\)[sd]")
CSS_CLASSES = set(re.findall(r"\.([a-z][a-z0-9_-]*)", (REPO_ROOT / "static/css/capmatch.css").read_text()))


def test_the_catalog_template_holds_what_the_code_marks():
    """messages.pot is current: `make messages` was run after the last change to a marked text."""
    in_template = {key(m) for m in template_catalog() if m.id}
    in_code = set(marked())
    missing = sorted(in_code - in_template)
    stale = sorted(in_template - in_code)
    assert not missing, f"not in messages.pot (run `make messages`): {missing[:20]}"
    assert not stale, f"in messages.pot but no longer in the code (run `make messages`): {stale[:20]}"


@pytest.mark.parametrize("code", ["en", "fr"])
def test_each_language_catalog_has_every_message(code):
    in_catalog = {key(m) for m in language_catalog(code) if m.id}
    missing = sorted(set(marked()) - in_catalog)
    assert not missing, f"not in the {code} catalog (run `make messages`): {missing[:20]}"


def test_every_french_message_is_translated_and_not_fuzzy():
    untranslated_ones, fuzzy = [], []
    for message in language_catalog("fr"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated_ones.append(key(message)[1])
        if message.fuzzy:
            fuzzy.append(key(message)[1])
    assert not untranslated_ones, f"{len(untranslated_ones)} French messages missing: {untranslated_ones[:20]}"
    assert not fuzzy, f"fuzzy French messages (check and unmark them): {fuzzy[:20]}"


def test_french_messages_keep_the_placeholders_of_the_english():
    wrong = []
    for message in language_catalog("fr"):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple | list) else (message.id,)
        french = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(english)))
        for text in french:
            if text and set(PLACEHOLDER.findall(text)) - wanted | (wanted - set(PLACEHOLDER.findall(text)) - {"%(num)d", "{count}"}):
                wrong.append((english[0], text))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_template_shows_no_text_outside_gettext(name):
    source = (TEMPLATE_DIR / name).read_text()
    found = untranslated(templates.env, source, CSS_CLASSES)
    assert not found, "\n".join(f"templates/{name}:{line}: {text!r}" for line, text in found)

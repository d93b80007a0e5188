"""What a person wrote for a skill, mapped to the vocabulary's code: pure, no database.

Forms, the API, roster imports and the migration of free-text skills all go through `resolve`,
so "Integrated border management", "integrated-border-management" and "integrated border
managment" are one skill wherever they come from. A spelling is close enough when difflib rates it
CLOSE or better against the code or a name and no other skill rates as high; anything else is an
error naming the nearest skills, so the writer can pick one.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from capmatch.i18n import _
from capmatch.taxonomy.names import in_language

CLOSE = 0.8  # difflib ratio: one or two typos in a skill's name, not a different skill
NEAREST = 3  # skills named when a spelling matches none


def spelling_key(text: str) -> str:
    """Case, underscores, hyphens and runs of spaces do not tell skills apart."""
    return " ".join(re.sub(r"[_\-\s]+", " ", text.strip().lower()).split())


@dataclass(frozen=True)
class Vocabulary:
    names: dict[str, str]  # code -> English name, every skill (retired ones too)
    names_fr: dict[str, str]  # code -> French name, where one is given
    areas: dict[str, tuple[str, ...]]  # area code -> its skills' codes, in the vocabulary's order
    area_names: dict[str, str]
    retired: frozenset[str]
    area_names_fr: dict[str, str] = field(default_factory=dict)  # area code -> French name, where one is given

    def of_areas(self, areas: Iterable[str], *, keep: Iterable[str] = ()) -> list[str]:
        """The codes the areas offer: their skills in use, and the retired ones in `keep`."""
        kept = set(keep)
        codes = (c for a in areas for c in self.areas.get(a, ()))
        return list(dict.fromkeys(c for c in codes if c not in self.retired or c in kept))

    def spellings(self, codes: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for code in codes:
            for text in (code, self.names.get(code, ""), self.names_fr.get(code, "")):
                if text:
                    out.setdefault(spelling_key(text), code)
        return out

    def name(self, code: str) -> str:
        """The skill's name in the language in use."""
        return in_language(self.names.get(code, code), self.names_fr.get(code))

    def area_name(self, code: str) -> str:
        return in_language(self.area_names.get(code, code), self.area_names_fr.get(code))

    def described(self, code: str) -> str:
        return f"{code} ({self.name(code)})"

    def areas_of(self, code: str) -> list[str]:
        return [a for a, codes in self.areas.items() if code in codes]


@dataclass(frozen=True)
class Resolution:
    code: str | None  # None: no skill; `message` says why and which are nearest
    message: str = ""


def resolve(vocab: Vocabulary, text: str, *, areas: Sequence[str], keep: Iterable[str] = ()) -> Resolution:
    """The code of the skill `text` names among the skills of `areas`."""
    key = spelling_key(text)
    allowed = vocab.of_areas(areas, keep=keep)
    spellings = vocab.spellings(allowed)
    if key in spellings:
        return Resolution(spellings[key])
    ranked = _ranked(key, spellings)
    if ranked and ranked[0][0] >= CLOSE and (len(ranked) == 1 or ranked[1][0] < ranked[0][0]):
        return Resolution(ranked[0][1])
    where = _names(vocab, areas)
    elsewhere = vocab.spellings(vocab.names).get(key)
    if elsewhere is not None and elsewhere in vocab.retired:
        return Resolution(None, _("The skill {skill} is retired: choose another.", skill=vocab.described(elsewhere)))
    if elsewhere is not None:
        return Resolution(None, _("{skill} is a skill of {areas}, not of {chosen}.", skill=vocab.described(elsewhere),
                                  areas=_names(vocab, vocab.areas_of(elsewhere)), chosen=where))
    nearest = ", ".join(vocab.described(code) for _ratio, code in ranked[:NEAREST])
    shown = text.strip()[:60]
    if not nearest:
        return Resolution(None, _("No skill of {areas} is called '{text}'.", areas=where, text=shown))
    return Resolution(None, _("No skill of {areas} is called '{text}'. Nearest: {nearest}.", areas=where, text=shown,
                              nearest=nearest))


def _ranked(key: str, spellings: dict[str, str]) -> list[tuple[float, str]]:
    """(best ratio, code) for each skill, best first; ties in the vocabulary's order."""
    best: dict[str, float] = {}
    matcher = difflib.SequenceMatcher(b=key, autojunk=False)
    for spelling, code in spellings.items():
        matcher.set_seq1(spelling)
        best[code] = max(best.get(code, 0.0), matcher.ratio())
    order = {code: i for i, code in enumerate(dict.fromkeys(spellings.values()))}
    return sorted(((ratio, code) for code, ratio in best.items()), key=lambda rc: (-rc[0], order[rc[1]]))


def _names(vocab: Vocabulary, areas: Iterable[str]) -> str:
    names = [vocab.area_name(a) for a in areas]
    if not names:
        return _("the chosen areas")
    return functools.reduce(lambda first, second: _("{first} or {second}", first=first, second=second), names)


def resolve_all(
    vocab: Vocabulary, texts: Sequence[str], *, areas: Sequence[str], keep: Iterable[str] = (),
) -> tuple[list[str], list[tuple[int, str]]]:
    """(distinct codes in the order written, (index, message) for each text that names no skill)."""
    kept = tuple(keep)
    codes: list[str] = []
    problems: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        found = resolve(vocab, text, areas=areas, keep=kept)
        if found.code is None:
            problems.append((i, found.message))
        elif found.code not in codes:
            codes.append(found.code)
    return codes, problems

"""Finds English interface text left on a French page, the data aside.

A page's visible text is cut into sentences; the data people typed (organization names, need and
offer titles, descriptions, names, e-mail addresses: pass them as `data`) is removed first; what is
left is English if it holds one of the words below, which French does not use (the short words
English sentences cannot do without, and the interface's own verbs and nouns; not "score" or
"total", which the French interface uses too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ENGLISH_ONLY = frozenset("""
the and of to for with from your you this that these those is are was were be been being has have had
will would can could must should may might not no yes none all any each every which who whom whose what when
where why how there their they them its it our we us here into than then also only other more less about after
before between while since until because if of by at off up out over under again very just still yet already
show shows hide save saved edit delete remove cancel back next previous search filter sort sorted view
sign signed account password email settings new open closed draft filled unfilled available reserved deployed
withdrawn approved rejected accepted declined confirmed expired completed pending revoked active deactivated
need needs offer offers proposal proposals run runs match matching matched officer requester provider admin
people skills skill languages language level years months month days day week weeks start duration positions
position urgency high low critical normal country countries region area areas cluster clusters report reports
export exports gap gaps policy weights weight constraint constraints share shares why because
choose enter select pick add added update updated created posted sent send invite invited join apply applied
""".split())
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def leftovers(text: str, data: Iterable[str] = ()) -> list[str]:
    """The bits of `text` that read as English once `data` is taken out: each with its English words."""
    for value in sorted({d for d in data if d and len(d) > 2}, key=len, reverse=True):
        text = text.replace(value, " ")
    found = []
    for chunk in re.split(r"[\n.;:!?·|•—()«»\"“”]+", text):
        words = [w.lower().strip("'’-") for w in WORD.findall(chunk)]
        english = [w for w in words if w in ENGLISH_ONLY]
        if english:
            found.append(f"{chunk.strip()[:120]}  [{', '.join(sorted(set(english)))}]")
    return found

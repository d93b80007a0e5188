"""Why positions stay open (DESIGN 4.4), need by need and summed into a gap analysis.

For each need with unfilled slots the reasons are, in the order the candidate builder applies the
hard rules, how many offers each rule removed first (a machine code, a count and the plain values
a sentence needs: names, ISO dates, days), and, when the need had candidates that went to others,
"outscored" with the needs that took them. The core writes no sentence: capmatch.matching.gaps
phrases a reason in the reader's language. Names of areas, languages and countries come from the
caller (`Names`); codes are used without them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from capmatch.matching.core.problem import RULE, RULES, Candidates, NeedArrays, OfferArrays

CEFR = ("", "A1", "A2", "B1", "B2", "C1", "C2")
EPOCH = dt.date(1970, 1, 1)
MAX_WINNERS = 10


@dataclass(frozen=True)
class Names:
    areas: dict = field(default_factory=dict)  # area index -> name
    languages: dict = field(default_factory=dict)  # language index -> name
    countries: dict = field(default_factory=dict)  # country index -> name

    def area(self, k) -> str:
        return self.areas.get(int(k), f"area {int(k)}")

    def language(self, k) -> str:
        return self.languages.get(int(k), f"language {int(k)}")

    def country(self, k) -> str:
        return self.countries.get(int(k), f"country {int(k)}")


@dataclass(frozen=True)
class Reason:
    code: str  # a rule of problem.RULES, "outscored", "constrained" or "too_few"
    count: int  # offers removed by the rule; for "outscored" the contested offers
    params: dict = field(default_factory=dict)  # JSON values the sentence needs (see _params)


@dataclass(frozen=True)
class GapExplanation:
    need: int  # position in NeedArrays
    need_id: int
    unfilled: int
    candidates: int
    reasons: tuple[Reason, ...]
    winners: tuple[int, ...] = ()  # need ids holding offers this need could have had

    @property
    def primary(self) -> str:
        return self.reasons[0].code if self.reasons else "unknown"


def explain_gaps(needs: NeedArrays, offers: OfferArrays, candidates: Candidates, chosen: np.ndarray,
                 names: Names | None = None) -> list[GapExplanation]:
    """Explain every need left with open slots. `chosen` indexes the candidate pairs."""
    names = names or Names()
    n = len(needs)
    chosen = np.asarray(chosen, dtype=np.int64)
    filled = np.bincount(candidates.need[chosen], minlength=n)
    n_cands = np.bincount(candidates.need, minlength=n)
    used = np.bincount(candidates.offer[chosen], minlength=len(offers))
    full = used >= offers.capacity
    holders = _holders(candidates, chosen, len(offers))
    # Candidates are sorted by need: each need's pairs are one slice.
    order = np.argsort(candidates.need, kind="stable")
    start = np.searchsorted(candidates.need[order], np.arange(n + 1))
    taken = np.zeros(len(candidates), dtype=bool)
    taken[chosen] = True
    out = []
    for i in np.flatnonzero(filled < needs.slots):
        reasons = []
        winners: tuple[int, ...] = ()
        pairs = order[start[i]:start[i + 1]]
        mine = candidates.offer[pairs[~taken[pairs]]]
        if len(mine):
            contested = mine[full[mine]]
            winner_needs = sorted({int(needs.need_id[k]) for o in contested for k in holders.get(int(o), ())})
            winners = tuple(winner_needs[:MAX_WINNERS])
            if len(contested):
                reasons.append(Reason("outscored", int(len(contested)), {"needs": list(winners)}))
            if len(contested) < len(mine):
                reasons.append(Reason("constrained", int(len(mine) - len(contested))))
        counts = candidates.eliminated[i]
        for rule in _rule_order(counts, len(offers)):
            count = int(counts[RULE[rule]])
            reasons.append(Reason(rule, count, _params(rule, count, i, needs, names, len(offers))))
        if not reasons:
            reasons.append(Reason("too_few", int(n_cands[i]), {"positions": int(needs.slots[i])}))
        out.append(GapExplanation(int(i), int(needs.need_id[i]), int(needs.slots[i] - filled[i]), int(n_cands[i]),
                                  tuple(reasons), winners))
    return out


@dataclass(frozen=True)
class GapRow:
    area: int
    duty_country: int
    code: str
    needs: int
    unfilled: int


def gap_summary(explanations: list[GapExplanation], needs: NeedArrays) -> list[GapRow]:
    """Unfilled positions by (area, duty country, main reason), largest first: what is missing, where."""
    needs_count: Counter = Counter()
    positions: Counter = Counter()
    for gap in explanations:
        key = (int(needs.area[gap.need]), int(needs.duty_country[gap.need]), gap.primary)
        needs_count[key] += 1
        positions[key] += gap.unfilled
    rows = [GapRow(a, c, code, needs_count[(a, c, code)], positions[(a, c, code)]) for a, c, code in positions]
    return sorted(rows, key=lambda r: (-r.unfilled, r.area, r.duty_country, r.code))


def _holders(candidates: Candidates, chosen: np.ndarray, m: int) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for need, offer in zip(candidates.need[chosen].tolist(), candidates.offer[chosen].tolist()):
        out.setdefault(offer, []).append(need)
    return out


def _rule_order(counts: np.ndarray, n_offers: int) -> list[str]:
    """Rules that removed something, the binding ones first: the later a rule runs, the closer it
    was to letting a candidate through, so when the area has offers the area rule goes last."""
    present = [r for r in RULES if counts[RULE[r]] > 0]
    if counts[RULE["area"]] >= n_offers:
        return ["area"]
    return [r for r in reversed(present) if r != "area"] + (["area"] if "area" in present else [])


def _day(day: int) -> str | None:
    """The ISO date of a day number; None for a day past the calendar ("never")."""
    try:
        return (EPOCH + dt.timedelta(days=int(day))).isoformat()
    except OverflowError:
        return None


def _params(rule: str, count: int, i: int, needs: NeedArrays, names: Names, n_offers: int) -> dict:
    """The values the sentence for `rule` names, for need `i`."""
    area = names.area(needs.area[i])
    end = int(needs.start_by[i]) + int(needs.duration_days[i])
    if rule == "area":
        return {"area": area, "everywhere": count >= n_offers}
    if rule == "capacity":
        return {"area": area}
    if rule == "language":
        ptr, lang, level = needs.languages
        wanted = [[names.language(lang[k]), CEFR[int(level[k])]] for k in range(ptr[i], ptr[i + 1])]
        return {"area": area, "languages": wanted}
    if rule == "arrival":
        return {"date": _day(needs.start_by[i])}
    if rule in ("window", "credentials"):
        return {"date": _day(end)}
    if rule == "duration":
        return {"days": int(needs.duration_days[i])}
    if rule == "eligibility":
        ptr, countries = needs.eligible_countries[:2]
        return {"countries": [names.country(c) for c in countries[ptr[i]:ptr[i + 1]] if c >= 0]}
    if rule == "duty_national":
        return {"country": names.country(needs.duty_country[i])}
    return {}

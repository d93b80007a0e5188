"""The hard rules (DESIGN 4.1) pair by pair: one definition for the solver and for matching by hand.

`build_candidates` (problem.py) applies the first four rules in bulk through its sorted offer
index and the rest here, charging each removed pair to the first rule it breaks. A manual match
asks `broken_rules` about one pair: every rule it breaks, through the same predicates (the index's
four are written out pair by pair below, and a unit test holds them to the index over random
instances).
"""

from __future__ import annotations

import numpy as np

from capmatch.matching.core.csr import gather_rows, is_member, largest, member_keys
from capmatch.matching.core.levels import LevelTable

RULES = (
    "area", "capacity", "language", "arrival", "window", "duration", "credentials",
    "provider_kind", "eligibility", "duty_national", "excluded",
)
RULE = {name: k for k, name in enumerate(RULES)}
# The rules build_candidates leaves to PairRules, in the order it charges them.
PAIR_RULES = ("language", "window", "duration", "credentials", "provider_kind", "eligibility",
              "duty_national", "excluded")


def ready_day(offers, today: int) -> np.ndarray:
    """The first day each offer's expert can be at the duty station."""
    ready = np.maximum(offers.available_from.astype(np.int64), today) + offers.lead_time_days.astype(np.int64)
    return np.clip(ready, 0, 2**32 - 1)


class PairRules:
    """Each hard rule as a mask over (need position, offer position) pairs: True where the pair passes."""

    def __init__(self, needs, offers, levels: LevelTable | None = None, n_langs: int | None = None):
        if n_langs is None:
            n_langs = 1 + max(largest(needs.languages[1]), largest(offers.languages[1]),
                              largest(needs.local_languages[1]))
        self.needs, self.offers = needs, offers
        self.levels = levels if levels is not None else LevelTable.of(offers, n_langs)
        self.n_langs = n_langs
        self.end = needs.start_by.astype(np.int64) + needs.duration_days.astype(np.int64)
        self.n_countries = 2 + max(largest(needs.eligible_countries[1]), largest(offers.nationality),
                                   largest(offers.provider_country))
        self.eligible_keys = member_keys(*needs.eligible_countries[:2], self.n_countries)
        self.restricted = np.diff(np.asarray(needs.eligible_countries[0])) > 0
        self.origin = np.where(offers.nationality >= 0, offers.nationality, offers.provider_country).astype(np.int64)
        self.m = max(len(offers), 1)
        self.excluded_keys = member_keys(*needs.excluded_offers[:2], self.m)

    def apply(self, p_need, p_offer, eliminated):
        """The pairs passing PAIR_RULES; each removed pair is counted against its need and first rule."""
        n = len(self.needs)
        for rule in PAIR_RULES:
            keep = getattr(self, rule)(p_need, p_offer)
            removed = p_need[~keep]
            if len(removed):
                eliminated[:, RULE[rule]] += np.bincount(removed, minlength=n)
            p_need, p_offer = p_need[keep], p_offer[keep]
        return p_need, p_offer

    def verdicts(self, p_need, p_offer, *, today: int) -> dict[str, np.ndarray]:
        """Every rule's mask over the pairs, the index's four included, in RULES order."""
        p_need, p_offer = np.asarray(p_need, dtype=np.int64), np.asarray(p_offer, dtype=np.int64)
        out = {"area": self.area(p_need, p_offer), "capacity": self.capacity(p_need, p_offer),
               "arrival": self.arrival(p_need, p_offer, today)}
        out.update({rule: getattr(self, rule)(p_need, p_offer) for rule in PAIR_RULES})
        return {rule: out[rule] for rule in RULES}

    # --- the index's rules, pair by pair --------------------------------------------------------

    def area(self, p_need, p_offer) -> np.ndarray:
        indptr, areas = self.offers.areas[:2]
        owner, pos = gather_rows(indptr, p_offer)
        hit = np.asarray(areas, dtype=np.int64)[pos] == self.needs.area[p_need][owner]
        return np.bincount(owner[hit], minlength=len(p_need)) > 0

    def capacity(self, p_need, p_offer) -> np.ndarray:
        return self.offers.capacity[p_offer] > 0

    def arrival(self, p_need, p_offer, today: int) -> np.ndarray:
        return ready_day(self.offers, today)[p_offer] <= self.needs.start_by[p_need].astype(np.int64)

    # --- the rules checked after the index ------------------------------------------------------

    def language(self, p_need, p_offer) -> np.ndarray:
        """Every required language at its minimum level (the index has checked the first is spoken)."""
        indptr, lang, min_level = self.needs.languages
        owner, pos = gather_rows(indptr, p_need)
        if len(owner) == 0:
            return np.ones(len(p_need), dtype=bool)
        level = self.levels(p_offer[owner], np.asarray(lang, dtype=np.int64)[pos])
        short = level < np.asarray(min_level)[pos]
        return np.bincount(owner[short], minlength=len(p_need)) == 0

    def window(self, p_need, p_offer) -> np.ndarray:
        return self.offers.available_until[p_offer].astype(np.int64) >= self.end[p_need]

    def duration(self, p_need, p_offer) -> np.ndarray:
        return self.needs.duration_days[p_need] <= self.offers.max_duration_days[p_offer]

    def credentials(self, p_need, p_offer) -> np.ndarray:
        return self.offers.credentials_until[p_offer].astype(np.int64) >= self.end[p_need]

    def provider_kind(self, p_need, p_offer) -> np.ndarray:
        mask = self.needs.allowed_kinds_mask[p_need].astype(np.int64)
        return (mask == 0) | ((mask >> self.offers.provider_kind[p_offer].astype(np.int64)) & 1).astype(bool)

    def eligibility(self, p_need, p_offer) -> np.ndarray:
        origin = self.origin[p_offer]
        allowed = is_member(self.eligible_keys, p_need * np.int64(self.n_countries) + np.maximum(origin, 0))
        return ~self.restricted[p_need] | ((origin >= 0) & allowed)

    def duty_national(self, p_need, p_offer) -> np.ndarray:
        nat = self.offers.nationality[p_offer]
        return ~(self.needs.exclude_duty_nationals[p_need] & (nat >= 0) & (nat == self.needs.duty_country[p_need]))

    def excluded(self, p_need, p_offer) -> np.ndarray:
        return ~is_member(self.excluded_keys, p_need * np.int64(self.m) + p_offer)


def broken_rules(needs, offers, need: int, offer: int, *, today: int) -> tuple[str, ...]:
    """The hard rules one pair (positions in the arrays) breaks, in RULES order; () when it passes all."""
    masks = PairRules(needs, offers).verdicts(np.array([need]), np.array([offer]), today=today)
    return tuple(rule for rule, ok in masks.items() if not ok[0])

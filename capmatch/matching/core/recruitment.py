"""Recruitment priorities (DESIGN 5): the expert profiles that, added to the rosters, would fill the most
unfilled positions.

A profile is an individual expert described by a capacity area, languages at a level, a home region
and the window they must be available in. Candidate profiles are drawn from the unfilled needs
themselves (each need's area and required languages at their minimum levels), one per home country
the caller offers, and each is tested against every unfilled need with the solver's own hard rules
(problem.build_candidates), as a synthetic offer that is free from today, needs no lead time and
serves up to the longest duration. A region's profile takes the country of the region whose expert
would qualify for the most positions (eligibility lists and duty-national exclusions differ by
country).

The priorities are then chosen greedily, as a shopping list: first the profile open to the most
unfilled positions, then the one adding the most positions not already open to a chosen profile,
and so on. Each says how many unfilled positions such an expert could take (one more such expert
fills one of them; that many would all find a place) and which needs they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from capmatch.matching.core.problem import NeedArrays, OfferArrays, build_candidates

FAR_FUTURE = 2**31 - 1
LONGEST_DAYS = 60 * 30  # the longest assignment an offer may serve (60 months)
MAX_SIGNATURES = 80  # the (area, languages) signatures with the most unfilled positions
MAX_PRIORITIES = 10


@dataclass(frozen=True)
class Profile:
    area: int
    languages: tuple[tuple[int, int], ...]  # (language, minimum level 1..6), sorted
    region: int
    country: int  # the home country tested for the region


@dataclass(frozen=True)
class Priority:
    profile: Profile
    need_ids: tuple[int, ...]  # the needs with positions such an expert could take, by id
    positions: int  # unfilled positions of those needs
    added_positions: int  # of which no higher priority could take
    available_from: int  # day: ready by the earliest start-by date of those needs
    available_until: int  # day: through the end of the latest of those assignments


def signatures(needs: NeedArrays, *, limit: int = MAX_SIGNATURES) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
    """Distinct (area, required languages at level) of needs with open slots, most unfilled positions first."""
    ptr, lang, level = needs.languages
    weight: dict[tuple, int] = {}
    for i in np.flatnonzero(needs.slots > 0):
        langs = tuple(sorted(zip(np.asarray(lang[ptr[i]:ptr[i + 1]]).tolist(),
                                 np.asarray(level[ptr[i]:ptr[i + 1]]).tolist())))
        key = (int(needs.area[i]), langs)
        weight[key] = weight.get(key, 0) + int(needs.slots[i])
    return sorted(weight, key=lambda k: (-weight[k], k))[:limit]


def profile_offers(profiles: list[Profile], *, today: int, country_south: np.ndarray,
                   country_subregion: np.ndarray) -> OfferArrays:
    """The profiles as offers of one expert each, as little constrained as an expert can be."""
    m = len(profiles)
    lang_counts = np.array([len(p.languages) for p in profiles], dtype=np.int64)
    lang_ptr = np.concatenate([[0], np.cumsum(lang_counts)]).astype(np.int64)
    langs = [pair for p in profiles for pair in p.languages]
    country = np.array([p.country for p in profiles], dtype=np.int32)
    zeros = np.zeros(m, dtype=np.int32)
    return OfferArrays(
        offer_id=np.arange(m, dtype=np.int64),
        areas=(np.arange(m + 1, dtype=np.int64), np.array([p.area for p in profiles], dtype=np.int32)),
        capacity=np.ones(m, dtype=np.int32),
        available_from=np.full(m, today, dtype=np.int32),
        available_until=np.full(m, FAR_FUTURE, dtype=np.int32),
        lead_time_days=np.zeros(m, dtype=np.int16),
        max_duration_days=np.full(m, LONGEST_DAYS, dtype=np.int32),
        nationality=country,
        provider_country=country,
        provider_south=country_south[country] if m else np.zeros(0, dtype=bool),
        provider_region=np.array([p.region for p in profiles], dtype=np.int16),
        provider_subregion=country_subregion[country].astype(np.int16) if m else np.zeros(0, dtype=np.int16),
        provider_kind=np.zeros(m, dtype=np.int8),  # a member-state agency seconding the expert
        provider_org=zeros,
        gender=np.zeros(m, dtype=np.int8),
        years=np.full(m, 50, dtype=np.int16),
        languages=(lang_ptr, np.array([a for a, _ in langs], dtype=np.int32),
                   np.array([b for _, b in langs], dtype=np.int8)),
        skills=(np.zeros(m + 1, dtype=np.int64), np.zeros(0, dtype=np.int32)),
        monthly_cost=np.full(m, np.nan, dtype=np.float32),
        appraisal=np.full(m, np.nan, dtype=np.float32),
        credentials_until=np.full(m, FAR_FUTURE, dtype=np.int32),
        kind=np.zeros(m, dtype=np.int8),
    )


def recruitment_priorities(
    needs: NeedArrays, *, countries: np.ndarray, country_region: np.ndarray, country_south: np.ndarray,
    country_subregion: np.ndarray, today: int, limit: int = MAX_PRIORITIES,
    max_signatures: int = MAX_SIGNATURES,
) -> list[Priority]:
    """The priorities for the unfilled positions in `needs` (slots = positions left unfilled).

    `countries` are the home countries to test (dense codes); `country_region` etc. are indexed by code.
    """
    countries = np.asarray(countries, dtype=np.int32)
    if len(needs) == 0 or len(countries) == 0:
        return []
    profiles = [Profile(area, langs, int(country_region[c]), int(c))
                for area, langs in signatures(needs, limit=max_signatures) for c in countries.tolist()]
    if not profiles:
        return []
    # The needs' rejected offers are real offers' positions: none of them is a profile.
    n = len(needs)
    open_needs = replace(needs, excluded_offers=(np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)))
    offers = profile_offers(profiles, today=today, country_south=country_south, country_subregion=country_subregion)
    pairs = build_candidates(open_needs, offers, today=today)
    covered: dict[int, list[int]] = {}
    for need, offer in zip(pairs.need.tolist(), pairs.offer.tolist()):
        covered.setdefault(offer, []).append(need)
    slots = needs.slots.astype(np.int64)
    # A region's profile: its country whose expert could take the most positions (then the lowest code).
    best: dict[tuple, tuple[int, int]] = {}
    for k, p in enumerate(profiles):
        total = int(slots[covered.get(k, [])].sum())
        key = (p.area, p.languages, p.region)
        if total and (key not in best or (-total, p.country) < (-best[key][1], profiles[best[key][0]].country)):
            best[key] = (k, total)
    return _greedy([(profiles[k], covered[k]) for k, _ in best.values()], needs, limit)


def _greedy(options: list[tuple[Profile, list[int]]], needs: NeedArrays, limit: int) -> list[Priority]:
    slots = needs.slots.astype(np.int64)
    totals = [int(slots[cov].sum()) for _, cov in options]
    taken = np.zeros(len(needs), dtype=bool)
    chosen: set[int] = set()
    out: list[Priority] = []
    while len(out) < limit:
        best, best_key = -1, None
        for k, (profile, cov) in enumerate(options):
            if k in chosen:
                continue
            added = int(slots[cov][~taken[cov]].sum())
            key = (-added, -totals[k], profile.area, profile.languages, profile.region)
            if added and (best_key is None or key < best_key):
                best, best_key = k, key
        if best < 0:
            break
        profile, cov = options[best]
        chosen.add(best)
        added = -best_key[0]
        taken[cov] = True
        start = needs.start_by[cov].astype(np.int64)
        end = start + needs.duration_days[cov].astype(np.int64)
        out.append(Priority(profile, tuple(sorted(int(needs.need_id[i]) for i in cov)), totals[best], added,
                            int(start.min()), int(end.max())))
    return out

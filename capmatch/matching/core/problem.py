"""The matching problem as integer-coded arrays, and the candidate graph (DESIGN 4.1).

Contract for whoever loads the arrays (the snapshot service). All arrays of a dataclass have the
same length (N needs, M offers); "CSR" fields are tuples (indptr, values...) with indptr of length
N+1 (or M+1) and int64; row k's values are values[indptr[k]:indptr[k+1]]. Days are days since
1970-01-01. Countries, languages, areas, skills are dense integer codes chosen by the loader.

NeedArrays (length N):
    need_id int64; area int32; slots int32 (positions still open); start_by int32 (day);
    duration_days int32; min_years int16; urgency int8 (0 low, 1 normal, 2 high, 3 critical);
    requester_country int32 (-1 none); requester_south bool; duty_country int32;
    duty_region int16; duty_subregion int16;
    modality int8 (0 deployed_expert, 1 remote_advisory, 2 team, 3 twinning_mentoring, 4 training);
    allowed_kinds_mask int16 (bit k set = provider-organization kind k allowed; 0 = any);
    exclude_duty_nationals bool; gender_target float32 (NaN = none; target share of women);
    eligible_countries CSR (indptr, country int32): empty row = anyone;
    languages CSR (indptr, lang int32, min_level int8 1..6 = A1..C2);
    skills CSR (indptr, skill int32); excluded_offers CSR (indptr, offer POSITION int64, i.e. row
    index into OfferArrays, not the offer id); local_languages CSR (indptr, lang int32).
OfferArrays (length M):
    offer_id int64; areas CSR (indptr, area int32); capacity int32 (left); available_from int32;
    available_until int32; lead_time_days int16; max_duration_days int32;
    nationality int32 (-1: no person); provider_country int32 (-1: intergovernmental body);
    provider_south bool; provider_region int16; provider_subregion int16; provider_kind int8;
    provider_org int32; gender int8 (0 unknown, 1 female, 2 male, 3 other); years int16;
    languages CSR (indptr, lang int32, level int8 1..6); skills CSR (indptr, skill int32);
    monthly_cost float32 (NaN unknown); appraisal float32 in [0, 1] (NaN none);
    credentials_until int32 (earliest screening/credential expiry; large if none);
    kind int8 (0 individual, 1 team, 2 institutional, 3 training).

Hard rules, in the order they are charged (a pair removed by several rules counts for the first):
area (the offer covers the need's area), capacity (offer has capacity left), language (the offer
speaks the need's first required language at all), arrival (max(available_from, today) + lead_time <=
start_by: the expert can be there by the start-by date), language again (every required
language at its minimum level), window (available_until >= start_by +
duration: available for the whole assignment, counted conservatively from the start-by date),
duration (duration <= max_duration), credentials (valid through start_by + duration),
provider_kind (allowed kinds), eligibility (the expert's nationality, or the provider's country
when there is no person, is in the need's list), duty_national (an expert of the duty country
when the need excludes them), excluded (already rejected for this need). Needs without open
slots get no candidates and are not charged.

Pairs are never enumerated over needs x offers: offers are indexed by (area, language) and by
area, sorted by arrival day, so each need reads only the contiguous run of offers that cover its
area, speak its first required language and can arrive in time; the remaining rules are
vectorised masks over those pairs, in chunks of bounded size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from capmatch.matching.core.csr import gather_rows, largest, offsets, row_ids
from capmatch.matching.core.levels import LevelTable, offer_language_levels
from capmatch.matching.core.rules import RULE, RULES, PairRules, ready_day

__all__ = ["RULE", "RULES", "Candidates", "NeedArrays", "OfferArrays", "build_candidates"]

CHUNK_PAIRS = 2_000_000


@dataclass(frozen=True)
class NeedArrays:
    need_id: np.ndarray
    area: np.ndarray
    slots: np.ndarray
    start_by: np.ndarray
    duration_days: np.ndarray
    min_years: np.ndarray
    urgency: np.ndarray
    requester_country: np.ndarray
    requester_south: np.ndarray
    duty_country: np.ndarray
    duty_region: np.ndarray
    duty_subregion: np.ndarray
    modality: np.ndarray
    allowed_kinds_mask: np.ndarray
    exclude_duty_nationals: np.ndarray
    gender_target: np.ndarray
    eligible_countries: tuple
    languages: tuple
    skills: tuple
    excluded_offers: tuple
    local_languages: tuple

    def __len__(self) -> int:
        return len(self.need_id)


@dataclass(frozen=True)
class OfferArrays:
    offer_id: np.ndarray
    areas: tuple
    capacity: np.ndarray
    available_from: np.ndarray
    available_until: np.ndarray
    lead_time_days: np.ndarray
    max_duration_days: np.ndarray
    nationality: np.ndarray
    provider_country: np.ndarray
    provider_south: np.ndarray
    provider_region: np.ndarray
    provider_subregion: np.ndarray
    provider_kind: np.ndarray
    provider_org: np.ndarray
    gender: np.ndarray
    years: np.ndarray
    languages: tuple
    skills: tuple
    monthly_cost: np.ndarray
    appraisal: np.ndarray
    credentials_until: np.ndarray
    kind: np.ndarray

    def __len__(self) -> int:
        return len(self.offer_id)


@dataclass(frozen=True)
class Candidates:
    need: np.ndarray  # int64 need positions, sorted by (need, offer)
    offer: np.ndarray  # int64 offer positions
    eliminated: np.ndarray  # (N, len(RULES)) int64: pairs of need i removed first by each rule
    rules: tuple = RULES

    def __len__(self) -> int:
        return len(self.need)


def build_candidates(needs: NeedArrays, offers: OfferArrays, *, today: int,
                     chunk_pairs: int = CHUNK_PAIRS) -> Candidates:
    """Every (need, offer) pair passing all hard rules, and per-need counts of what each rule removed."""
    n, m = len(needs), len(offers)
    eliminated = np.zeros((n, len(RULES)), dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return Candidates(empty, empty, eliminated)
    n_langs = 1 + max(largest(needs.languages[1]), largest(offers.languages[1]), largest(needs.local_languages[1]))
    n_areas = 1 + max(largest(needs.area), largest(offers.areas[1]))
    ready = ready_day(offers, today)

    # Offer index rows: (offer, area) for offers with capacity, then also by language.
    oa_key = np.unique(row_ids(offers.areas[0]) * np.int64(n_areas) + np.asarray(offers.areas[1], dtype=np.int64))
    oa_offer, oa_area = oa_key // n_areas, oa_key % n_areas  # an area listed twice counts once
    per_area = np.bincount(oa_area, minlength=n_areas)
    has_cap = offers.capacity[oa_offer] > 0
    per_area_cap = np.bincount(oa_area[has_cap], minlength=n_areas)
    oa_offer, oa_area = oa_offer[has_cap], oa_area[has_cap]
    lang_keys, lang_levels = offer_language_levels(offers, n_langs)
    # Each (offer, area) row once per language the offer speaks; keys after n_areas are
    # (area, language), keys below are the area alone.
    owner, lang_pos = gather_rows(offsets(lang_keys // n_langs, m), oa_offer)
    index = _SortedIndex(
        np.concatenate([oa_area, n_areas + oa_area[owner] * n_langs + lang_keys[lang_pos] % n_langs]),
        np.concatenate([oa_offer, oa_offer[owner]]),
        ready,
    )

    # Needs read the run of their first required language (or of their area if none).
    active = needs.slots > 0
    nl_ptr = np.asarray(needs.languages[0], dtype=np.int64)
    has_lang = np.diff(nl_ptr) > 0
    first_lang = np.zeros(n, dtype=np.int64)
    first_lang[has_lang] = np.asarray(needs.languages[1], dtype=np.int64)[nl_ptr[:-1][has_lang]]
    area = needs.area.astype(np.int64)
    start_by = needs.start_by.astype(np.int64)
    lo_a, hi_a, _ = index.lookup(area, start_by)
    lo, hi, in_time = index.lookup(np.where(has_lang, n_areas + area * n_langs + first_lang, area), start_by)
    eliminated[:, RULE["area"]] = m - per_area[area]
    eliminated[:, RULE["capacity"]] = per_area[area] - per_area_cap[area]
    eliminated[:, RULE["language"]] = (hi_a - lo_a) - (hi - lo)
    eliminated[:, RULE["arrival"]] = (hi - lo) - in_time
    eliminated[~active] = 0
    count = np.where(active, in_time, 0)

    rules = PairRules(needs, offers, LevelTable(lang_keys, lang_levels, n_langs, m), n_langs)
    out_need, out_offer = [], []
    cum = np.concatenate([[0], np.cumsum(count)])
    start = 0
    while start < n:
        stop = max(int(np.searchsorted(cum, cum[start] + chunk_pairs, side="right")) - 1, start + 1)
        idx = np.arange(start, min(stop, n))
        start = min(stop, n)
        k = count[idx]
        p_need = np.repeat(idx, k)
        offset = np.arange(len(p_need)) - np.repeat(np.cumsum(k) - k, k)
        p_offer = index.offer[np.repeat(lo[idx], k) + offset]
        p_need, p_offer = rules.apply(p_need, p_offer, eliminated)
        out_need.append(p_need)
        out_offer.append(p_offer)
    if not out_need:
        return Candidates(empty, empty, eliminated)
    p_need, p_offer = np.concatenate(out_need), np.concatenate(out_offer)
    order = np.argsort(p_need * np.int64(max(m, 1)) + p_offer, kind="stable")
    return Candidates(p_need[order], p_offer[order], eliminated)


class _SortedIndex:
    """Offer rows sorted by (key, ready day); a need reads [lo, lo + in_time) of its key's run."""

    def __init__(self, key: np.ndarray, offer: np.ndarray, ready: np.ndarray):
        order = np.lexsort((ready[offer], key))
        self.key = key[order]
        self.offer = offer[order]
        self.combined = self.key * np.int64(2**32) + ready[self.offer]

    def lookup(self, key: np.ndarray, start_by: np.ndarray):
        lo = np.searchsorted(self.key, key, side="left")
        hi = np.searchsorted(self.key, key, side="right")
        cut = np.searchsorted(self.combined, key * np.int64(2**32) + np.clip(start_by, 0, 2**32 - 1), side="right")
        return lo, hi, np.clip(cut - lo, 0, hi - lo)

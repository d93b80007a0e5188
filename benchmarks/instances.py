"""Random instances for the solver benchmark (and for tests that want a realistic shape).

`random_graph` is an unstructured candidate graph. `marketplace` draws NeedArrays/OfferArrays
clustered the way the real marketplace is: needs ask for the working languages of their duty
region at a high level, offers come from regions and speak their languages, expertise is
concentrated in a few related areas, and start dates, windows and lead times overlap partly.
"""

from __future__ import annotations

import numpy as np

from capmatch.matching.core.problem import NeedArrays, OfferArrays

N_AREAS = 35
N_REGIONS = 5
N_SUBREGIONS = 17
N_COUNTRIES = 190
TODAY = 20_000  # 2024-10-04
# Working languages per region: 0 en, 1 fr, 2 ar, 3 es, 4 pt, 5 ru, 6 sw, then local languages.
REGION_LANGUAGES = ((0, 1, 4, 6), (0, 3, 4), (0, 2, 5), (0, 1, 2, 5), (0, 1))
N_LANGUAGES = 40


def random_graph(n_needs=20_000, n_offers=30_000, n_edges=1_000_000, seed=0):
    """(need_idx, offer_idx, score, slots, capacity) with distinct pairs, uniform scores."""
    rng = np.random.default_rng(seed)
    key = np.unique(rng.integers(0, n_needs, n_edges).astype(np.int64) * n_offers + rng.integers(0, n_offers, n_edges))
    score = rng.random(len(key))
    return (key // n_offers, key % n_offers, score, rng.integers(1, 4, n_needs).astype(np.int32),
            rng.integers(1, 3, n_offers).astype(np.int32))


def _csr(lengths, values_fn):
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr, values_fn(int(indptr[-1]), np.repeat(np.arange(len(lengths)), lengths))


def _countries(rng):
    region = rng.integers(0, N_REGIONS, N_COUNTRIES)
    subregion = (region * 3 + rng.integers(0, 3, N_COUNTRIES)) % N_SUBREGIONS
    south = region != 4
    local = 7 + rng.integers(0, N_LANGUAGES - 7, N_COUNTRIES)
    return region.astype(np.int16), subregion.astype(np.int16), south, local


def marketplace(n_needs=20_000, n_offers=200_000, seed=0, today=TODAY):
    """(NeedArrays, OfferArrays, today) of a marketplace-shaped instance."""
    rng = np.random.default_rng(seed)
    region, subregion, south, local = _countries(rng)
    area_weight = rng.dirichlet(np.full(N_AREAS, 2.0))

    duty = rng.integers(0, N_COUNTRIES, n_needs)
    duty_region = region[duty]
    requester = np.where(rng.random(n_needs) < 0.8, duty, -1)
    req_langs = np.array([REGION_LANGUAGES[r] for r in range(N_REGIONS)], dtype=object)

    def need_langs(total, owner):
        first = np.array([rng.choice(req_langs[r]) for r in duty_region[owner]]) if total else np.zeros(0, int)
        second_local = np.arange(total) > np.searchsorted(owner, owner, side="left")
        return (np.where(second_local, local[duty[owner]], first).astype(np.int32),
                np.where(second_local, 3, rng.integers(5, 7, total)).astype(np.int8))

    n_lang = rng.choice([0, 1, 1, 1, 2], n_needs)
    lang_ptr, (lang, level) = _csr(n_lang, need_langs)
    area = rng.choice(N_AREAS, n_needs, p=area_weight)
    restricted = rng.random(n_needs) < 0.1
    eligible_members = [np.flatnonzero(region == duty_region[i]) if restricted[i] else np.zeros(0, int)
                        for i in range(n_needs)]
    el_ptr = np.zeros(n_needs + 1, dtype=np.int64)
    np.cumsum([len(e) for e in eligible_members], out=el_ptr[1:])
    needs = NeedArrays(
        need_id=np.arange(1, n_needs + 1, dtype=np.int64),
        area=area.astype(np.int32),
        slots=rng.integers(1, 4, n_needs).astype(np.int32),
        start_by=(today + rng.integers(14, 200, n_needs)).astype(np.int32),
        duration_days=rng.choice([90, 180, 270, 365], n_needs).astype(np.int32),
        min_years=rng.integers(2, 11, n_needs).astype(np.int16),
        urgency=rng.choice(4, n_needs, p=[0.2, 0.5, 0.2, 0.1]).astype(np.int8),
        requester_country=requester.astype(np.int32),
        requester_south=south[np.where(requester >= 0, requester, duty)],
        duty_country=duty.astype(np.int32),
        duty_region=duty_region,
        duty_subregion=subregion[duty],
        modality=rng.choice(5, n_needs, p=[0.6, 0.15, 0.1, 0.1, 0.05]).astype(np.int8),
        allowed_kinds_mask=np.where(rng.random(n_needs) < 0.15, 0b000111, 0).astype(np.int16),
        exclude_duty_nationals=rng.random(n_needs) < 0.5,
        gender_target=np.where(rng.random(n_needs) < 0.3, 0.5, np.nan).astype(np.float32),
        eligible_countries=(el_ptr, np.concatenate(eligible_members).astype(np.int32)),
        languages=(lang_ptr, lang, level),
        skills=_csr(rng.integers(0, 5, n_needs),
                    lambda t, o: (area[o] * 20 + rng.integers(0, 20, t)).astype(np.int32)),
        excluded_offers=(np.zeros(n_needs + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)),
        local_languages=(np.arange(n_needs + 1, dtype=np.int64), local[duty].astype(np.int32)),
    )

    nationality = rng.integers(0, N_COUNTRIES, n_offers)
    institutional = rng.random(n_offers) < 0.05
    provider_country = np.where(rng.random(n_offers) < 0.05, -1, nationality)
    nat_region = region[nationality]
    main_area = rng.choice(N_AREAS, n_offers, p=area_weight)
    n_areas = rng.choice([1, 1, 1, 1, 2], n_offers)
    areas = _csr(n_areas, lambda t, o: ((main_area[o] + np.arange(t) - np.searchsorted(o, o)) % N_AREAS).astype(np.int32))

    def offer_langs(total, owner):
        rank = np.arange(total) - np.searchsorted(owner, owner)
        regional = np.array([rng.choice(req_langs[r]) for r in nat_region[owner]]) if total else np.zeros(0, int)
        anywhere = rng.integers(0, 7, total)
        lang = np.where(rank == 0, local[nationality[owner]], np.where(rank == 1, regional, anywhere))
        return lang.astype(np.int32), np.where(rank == 0, 6, rng.integers(2, 7, total)).astype(np.int8)

    o_lang_ptr, (o_lang, o_level) = _csr(rng.integers(1, 4, n_offers), offer_langs)
    # Duplicate (offer, language) rows are harmless: the builder keeps the best level.
    available_from = today + rng.integers(-60, 300, n_offers)
    offers = OfferArrays(
        offer_id=np.arange(1, n_offers + 1, dtype=np.int64),
        areas=areas,
        capacity=rng.choice([1, 1, 2], n_offers).astype(np.int32),
        available_from=available_from.astype(np.int32),
        available_until=(available_from + rng.integers(120, 900, n_offers)).astype(np.int32),
        lead_time_days=rng.integers(7, 75, n_offers).astype(np.int16),
        max_duration_days=rng.choice([180, 365, 730], n_offers).astype(np.int32),
        nationality=np.where(institutional, -1, nationality).astype(np.int32),
        provider_country=provider_country.astype(np.int32),
        provider_south=np.where(provider_country >= 0, south[nationality], False),
        provider_region=nat_region,
        provider_subregion=subregion[nationality],
        provider_kind=rng.choice(6, n_offers, p=[0.5, 0.1, 0.1, 0.1, 0.15, 0.05]).astype(np.int8),
        provider_org=rng.integers(0, 2_000, n_offers).astype(np.int32),
        gender=rng.choice(4, n_offers, p=[0.05, 0.45, 0.48, 0.02]).astype(np.int8),
        years=rng.integers(1, 31, n_offers).astype(np.int16),
        languages=(o_lang_ptr, o_lang, o_level),
        skills=_csr(rng.integers(1, 8, n_offers),
                    lambda t, o: (main_area[o] * 20 + rng.integers(0, 20, t)).astype(np.int32)),
        monthly_cost=np.where(rng.random(n_offers) < 0.2, np.nan, rng.lognormal(9, 0.5, n_offers)).astype(np.float32),
        appraisal=np.where(rng.random(n_offers) < 0.5, np.nan, rng.beta(5, 2, n_offers)).astype(np.float32),
        credentials_until=(today + rng.integers(60, 1500, n_offers)).astype(np.int32),
        kind=np.where(institutional, 2, rng.choice([0, 1, 3], n_offers, p=[0.9, 0.05, 0.05])).astype(np.int8),
    )
    return needs, offers, today

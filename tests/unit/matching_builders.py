"""Small NeedArrays/OfferArrays built from plain dicts, for the pure-core unit tests."""

from __future__ import annotations

import numpy as np

from capmatch.matching.core.problem import NeedArrays, OfferArrays

TODAY = 20_000

NEED_DEFAULTS = dict(
    area=0, slots=1, start_by=TODAY + 60, duration_days=180, min_years=5, urgency=1, requester_country=1,
    requester_south=True, duty_country=1, duty_region=0, duty_subregion=0, modality=0, allowed_kinds_mask=0,
    exclude_duty_nationals=False, gender_target=np.nan, eligible_countries=(), languages=(), skills=(),
    excluded_offers=(), local_languages=(),
)
OFFER_DEFAULTS = dict(
    areas=(0,), capacity=1, available_from=TODAY, available_until=TODAY + 1000, lead_time_days=10,
    max_duration_days=365, nationality=2, provider_country=2, provider_south=True, provider_region=0,
    provider_subregion=0, provider_kind=0, provider_org=0, gender=1, years=8, languages=(), skills=(),
    monthly_cost=5000.0, appraisal=np.nan, credentials_until=TODAY + 2000, kind=0,
)
NEED_TYPES = dict(
    area=np.int32, slots=np.int32, start_by=np.int32, duration_days=np.int32, min_years=np.int16,
    urgency=np.int8, requester_country=np.int32, requester_south=bool, duty_country=np.int32,
    duty_region=np.int16, duty_subregion=np.int16, modality=np.int8, allowed_kinds_mask=np.int16,
    exclude_duty_nationals=bool, gender_target=np.float32,
)
OFFER_TYPES = dict(
    capacity=np.int32, available_from=np.int32, available_until=np.int32, lead_time_days=np.int16,
    max_duration_days=np.int32, nationality=np.int32, provider_country=np.int32, provider_south=bool,
    provider_region=np.int16, provider_subregion=np.int16, provider_kind=np.int8, provider_org=np.int32,
    gender=np.int8, years=np.int16, monthly_cost=np.float32, appraisal=np.float32, credentials_until=np.int32,
    kind=np.int8,
)


def csr(rows, width=1, dtypes=(np.int32,)):
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    flat = [item for r in rows for item in r]
    if width == 1:
        return indptr, np.asarray(flat, dtype=dtypes[0])
    cols = list(zip(*flat)) if flat else [()] * width
    return (indptr, *[np.asarray(c, dtype=d) for c, d in zip(cols, dtypes)])


def make_needs(*rows: dict) -> NeedArrays:
    rows = [{**NEED_DEFAULTS, **r} for r in rows]
    fields = {k: np.array([r[k] for r in rows], dtype=t) for k, t in NEED_TYPES.items()}
    return NeedArrays(
        need_id=np.arange(1, len(rows) + 1, dtype=np.int64),
        eligible_countries=csr([r["eligible_countries"] for r in rows]),
        languages=csr([r["languages"] for r in rows], 2, (np.int32, np.int8)),
        skills=csr([r["skills"] for r in rows]),
        excluded_offers=csr([r["excluded_offers"] for r in rows], 1, (np.int64,)),
        local_languages=csr([r["local_languages"] for r in rows]),
        **fields,
    )


def make_offers(*rows: dict) -> OfferArrays:
    rows = [{**OFFER_DEFAULTS, **r} for r in rows]
    fields = {k: np.array([r[k] for r in rows], dtype=t) for k, t in OFFER_TYPES.items()}
    return OfferArrays(
        offer_id=np.arange(101, 101 + len(rows), dtype=np.int64),
        areas=csr([r["areas"] for r in rows]),
        languages=csr([r["languages"] for r in rows], 2, (np.int32, np.int8)),
        skills=csr([r["skills"] for r in rows]),
        **fields,
    )


def random_problem(seed: int, n: int, m: int):
    """Small random needs/offers over tiny domains, so that every rule both passes and fails."""
    rng = np.random.default_rng(seed)
    pick = lambda k, hi: rng.integers(0, hi, rng.integers(0, k + 1)).tolist()
    needs = make_needs(*[dict(
        area=int(rng.integers(0, 3)), slots=int(rng.integers(0, 3)), start_by=TODAY + int(rng.integers(0, 60)),
        duration_days=int(rng.choice([30, 90, 180])), urgency=int(rng.integers(0, 4)),
        duty_country=int(rng.integers(0, 5)), allowed_kinds_mask=int(rng.choice([0, 1, 6])),
        exclude_duty_nationals=bool(rng.random() < 0.5),
        eligible_countries=pick(2, 5) if rng.random() < 0.4 else [],
        languages=list({int(lang): (int(lang), int(rng.integers(1, 7))) for lang in pick(2, 4)}.values()),
        skills=pick(3, 6), local_languages=pick(1, 4), modality=int(rng.integers(0, 5)),
        excluded_offers=pick(2, m) if rng.random() < 0.3 else [],
    ) for _ in range(n)])
    offers = make_offers(*[dict(
        areas=sorted(set(pick(2, 3))), capacity=int(rng.integers(0, 3)),
        available_from=TODAY + int(rng.integers(-30, 40)), available_until=TODAY + int(rng.integers(30, 300)),
        lead_time_days=int(rng.integers(0, 40)), max_duration_days=int(rng.choice([60, 120, 365])),
        nationality=int(rng.integers(-1, 5)), provider_country=int(rng.integers(-1, 5)),
        provider_kind=int(rng.integers(0, 3)), credentials_until=TODAY + int(rng.integers(30, 400)),
        languages=[(int(lang), int(rng.integers(1, 7))) for lang in pick(3, 4)], skills=pick(4, 6),
        kind=int(rng.integers(0, 4)), gender=int(rng.integers(0, 4)), years=int(rng.integers(0, 20)),
        monthly_cost=float(rng.choice([np.nan, 3000.0, 9000.0])), appraisal=float(rng.choice([np.nan, 0.2, 0.9])),
    ) for _ in range(m)])
    return needs, offers

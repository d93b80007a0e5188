"""Score every candidate pair (DESIGN 4.2): components in [0, 1], combined by a policy's weights.

score = urgency_multiplier[need urgency] * (FLOOR + (1 - FLOOR) * sum(w_k * c_k) / sum(w_k)).
The floor keeps every candidate's score > 0: a pair that passes every hard rule is always worth
proposing rather than leaving the position open.

Components (all vectorised over pairs):
- skills: share of the need's skills the offer lists (1 when the need lists none).
- language: 0.7 * how far the offer exceeds each required minimum level, averaged over required
  languages ((level - min) / (C2 - min), 1 when the minimum is C2; 0.5 when nothing is required)
  + 0.3 if the offer speaks a local language of the duty country at B1 or better.
- experience: 0.5 at exactly the minimum years, +0.1 per year above, -0.1 per year below, clipped.
- south_south: 1 when the requester and the offer's origin are both in the Global South.
- regional: 1 same sub-region as the duty station, 0.6 same region, else 0.
- speed: 1 - lead_time / horizon[urgency], horizons 180/120/60/30 days (low..critical), clipped.
- cost: reference / (reference + monthly cost), 0.5 when the cost is unknown.
- appraisal: mean past appraisal, 0.5 when none.
- capacity_transfer: 1 for a twinning/mentoring or training need served by an institutional or
  training offer, 0.75 for such a need served by an individual or team, 0.5 for an institutional
  or training offer on any other need, else 0.
- gender_balance: the requester's gender-balance target t (share of women) on the need, as a
  preference: 0.5 + t/2 for a woman, 0.5 - t/2 for a man, 0.5 for anyone else (an expert team, an
  institution, a gender not given) and for every offer on a need without a target. A score term
  rather than a side constraint: a target on a need of one or a few positions is an aim, and a hard
  share would leave a mission unstaffed (or a one-position need closed to men at any target) when
  no woman is available; the officer's policy-wide min_women_share is the hard lever. The term
  favours women in proportion to the target and does not cap them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from capmatch.matching.core.policy import COMPONENTS, DEFAULT_WEIGHTS
from capmatch.matching.core.codes import GENDER, MODALITY, OFFER_KIND
from capmatch.matching.core.csr import gather_rows, is_member, member_keys
from capmatch.matching.core.levels import LevelTable
from capmatch.matching.core.problem import Candidates, NeedArrays, OfferArrays

FLOOR = 0.01
SPEED_HORIZON_DAYS = np.array([180.0, 120.0, 60.0, 30.0])
MENTORING_MODALITIES = (MODALITY["twinning_mentoring"], MODALITY["training"])
TRANSFER_KINDS = (OFFER_KIND["institutional_partnership"], OFFER_KIND["training"])
LOCAL_LANGUAGE_LEVEL = 3  # B1


@dataclass(frozen=True)
class Policy:
    """Weights per component (any non-negative numbers; they are normalised) and urgency multipliers.

    The weights' names and defaults are capmatch.matching.core.policy's; a run's RunPolicy gives its weights."""

    skills: float = DEFAULT_WEIGHTS["skills"]
    language: float = DEFAULT_WEIGHTS["language"]
    experience: float = DEFAULT_WEIGHTS["experience"]
    south_south: float = DEFAULT_WEIGHTS["south_south"]
    regional: float = DEFAULT_WEIGHTS["regional"]
    speed: float = DEFAULT_WEIGHTS["speed"]
    cost: float = DEFAULT_WEIGHTS["cost"]
    appraisal: float = DEFAULT_WEIGHTS["appraisal"]
    capacity_transfer: float = DEFAULT_WEIGHTS["capacity_transfer"]
    gender_balance: float = DEFAULT_WEIGHTS["gender_balance"]
    urgency_multipliers: tuple[float, float, float, float] = (1.0, 1.0, 1.25, 1.5)
    cost_reference: float = 8_000.0  # monthly cost (USD) that scores 0.5

    def weights(self) -> np.ndarray:
        w = np.array([getattr(self, name) for name in COMPONENTS], dtype=np.float64)
        if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise ValueError("policy weights must be finite, non-negative and not all zero")
        return w


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Scores:
    total: np.ndarray  # (E,) float64, > 0
    components: np.ndarray  # (E, K) float32, each in [0, 1]
    names: tuple = COMPONENTS

    def breakdown(self, edge: int) -> dict[str, float]:
        return {name: float(v) for name, v in zip(self.names, self.components[edge])}


def stored_breakdown(components: np.ndarray, *, gender_target: float) -> dict[str, float]:
    """One pair's components as its proposal keeps them, rounded; the gender term only where the
    need sets a target (elsewhere it is the same 0.5 for every offer and explains nothing)."""
    out = {name: round(float(v), 4) for name, v in zip(COMPONENTS, components)}
    if np.isnan(gender_target):
        del out["gender_balance"]
    return out


def score_candidates(needs: NeedArrays, offers: OfferArrays, candidates: Candidates,
                     policy: Policy = DEFAULT_POLICY) -> Scores:
    comps = component_matrix(needs, offers, candidates.need, candidates.offer, policy)
    return combine(comps, needs.urgency[candidates.need], policy)


def combine(components: np.ndarray, urgency: np.ndarray, policy: Policy = DEFAULT_POLICY) -> Scores:
    w = policy.weights()
    mix = components.astype(np.float64) @ (w / w.sum())
    mult = np.asarray(policy.urgency_multipliers, dtype=np.float64)[np.asarray(urgency, dtype=np.int64)]
    return Scores(total=mult * (FLOOR + (1.0 - FLOOR) * mix), components=components)


def component_matrix(needs: NeedArrays, offers: OfferArrays, need: np.ndarray, offer: np.ndarray,
                     policy: Policy = DEFAULT_POLICY) -> np.ndarray:
    need = np.asarray(need, dtype=np.int64)
    offer = np.asarray(offer, dtype=np.int64)
    out = np.empty((len(need), len(COMPONENTS)), dtype=np.float32)
    out[:, 0] = _skills(needs, offers, need, offer)
    out[:, 1] = _language(needs, offers, need, offer)
    gap = offers.years[offer].astype(np.float64) - needs.min_years[need]
    out[:, 2] = np.clip(0.5 + 0.1 * gap, 0.0, 1.0)
    out[:, 3] = needs.requester_south[need] & offers.provider_south[offer]
    same_sub = offers.provider_subregion[offer] == needs.duty_subregion[need]
    same_region = offers.provider_region[offer] == needs.duty_region[need]
    out[:, 4] = np.where(same_sub, 1.0, np.where(same_region, 0.6, 0.0))
    horizon = SPEED_HORIZON_DAYS[needs.urgency[need].astype(np.int64)]
    out[:, 5] = np.clip(1.0 - offers.lead_time_days[offer] / horizon, 0.0, 1.0)
    cost = offers.monthly_cost[offer].astype(np.float64)
    ref = policy.cost_reference
    out[:, 6] = np.where(np.isnan(cost), 0.5, ref / (ref + np.maximum(np.nan_to_num(cost), 0.0)))
    appraisal = offers.appraisal[offer]
    out[:, 7] = np.where(np.isnan(appraisal), 0.5, np.clip(appraisal, 0.0, 1.0))
    mentoring = np.isin(needs.modality[need], MENTORING_MODALITIES)
    transfer_kind = np.isin(offers.kind[offer], TRANSFER_KINDS)
    out[:, 8] = np.where(mentoring, np.where(transfer_kind, 1.0, 0.75), np.where(transfer_kind, 0.5, 0.0))
    out[:, 9] = _gender_balance(needs, offers, need, offer)
    return out


def _gender_balance(needs, offers, need, offer) -> np.ndarray:
    target = np.nan_to_num(needs.gender_target[need].astype(np.float64), nan=0.0)
    gender = offers.gender[offer]
    lean = np.where(gender == GENDER["female"], 1.0, np.where(gender == GENDER["male"], -1.0, 0.0))
    return 0.5 + 0.5 * target * lean


def _skills(needs, offers, need, offer) -> np.ndarray:
    indptr, skill = needs.skills[:2]
    n_skills = np.diff(np.asarray(indptr, dtype=np.int64))[need]
    owner, pos = gather_rows(indptr, need)
    width = 1 + max(_max(skill), _max(offers.skills[1]))
    keys = member_keys(*offers.skills[:2], width)
    hit = is_member(keys, offer[owner] * np.int64(width) + np.asarray(skill, dtype=np.int64)[pos])
    covered = np.bincount(owner[hit], minlength=len(need))
    return np.where(n_skills > 0, covered / np.maximum(n_skills, 1), 1.0)


def _language(needs, offers, need, offer) -> np.ndarray:
    n_langs = 1 + max(_max(needs.languages[1]), _max(offers.languages[1]), _max(needs.local_languages[1]))
    level_of = LevelTable.of(offers, n_langs)
    indptr, lang, min_level = needs.languages
    n_req = np.diff(np.asarray(indptr, dtype=np.int64))[need]
    owner, pos = gather_rows(indptr, need)
    have = level_of(offer[owner], np.asarray(lang, dtype=np.int64)[pos])
    lo = np.asarray(min_level, dtype=np.float64)[pos]
    room = 6.0 - lo
    excess = np.where(room > 0, np.clip(have - lo, 0, None) / np.where(room > 0, room, 1.0), 1.0)
    beyond = np.where(n_req > 0, np.bincount(owner, weights=excess, minlength=len(need)) / np.maximum(n_req, 1), 0.5)
    l_owner, l_pos = gather_rows(needs.local_languages[0], need)
    local_lvl = level_of(offer[l_owner], np.asarray(needs.local_languages[1], dtype=np.int64)[l_pos])
    local = np.bincount(l_owner[local_lvl >= LOCAL_LANGUAGE_LEVEL], minlength=len(need)) > 0
    return 0.7 * beyond + 0.3 * local


def _max(a) -> int:
    a = np.asarray(a)
    return int(a.max()) if a.size else 0

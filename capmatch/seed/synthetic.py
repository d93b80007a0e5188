"""Generate a large synthetic marketplace shaped like the demo, for load tests of matching.

Generation is pure numpy (vectorized) and deterministic for a seed; capmatch.seed.synthetic_load
writes the result with PostgreSQL COPY. The shape follows the demo so the candidate graph stays
realistic and sparse: needs take their duty countries and language requirements from the demo's
needs, and their areas from the demo's area frequencies; offers take areas from the same
frequencies, languages from their nationality's profile (seed/demo/generator.json), and
availability windows of two to twelve months spread over two years, so after the hard rules a
need has tens to a few hundred candidates, not thousands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from capmatch.seed import DEMO_DIR
from capmatch.seed.files import read_json
from capmatch.seed.taxonomy import area_rows, country_rows, skills_by_area

PREFIX = "Synthetic"  # every synthetic organization's name starts with it
TITLE_MARK = "[synthetic]"  # and every synthetic need's and offer's title
EPOCH = date(2027, 1, 1)
HORIZON_DAYS = 730
EXTRA_LANGUAGES = ("eng", "fra", "ara", "por", "spa")
PROVIDER_KINDS = (("member_state_agency", "national agency"), ("ngo", "NGO"), ("ngo", "training centre"))


@dataclass
class SyntheticOrg:
    name: str
    kind: str
    country_iso3: str | None
    may_request: bool
    may_provide: bool
    members: list[str] = field(default_factory=list)


@dataclass
class Synthetic:
    """Everything to load, as column arrays; org, need and offer references are list indexes."""

    orgs: list[SyntheticOrg]
    needs: dict[str, np.ndarray]
    need_languages: dict[str, np.ndarray]  # need, language, min_level
    offers: dict[str, np.ndarray]
    offer_areas: dict[str, np.ndarray]  # offer, area
    offer_languages: dict[str, np.ndarray]  # offer, language, level
    area_codes: list[str]
    language_codes: list[str]
    seed: int


def _weights(counter: Counter, keys: list[str], smoothing: float = 1.0) -> np.ndarray:
    values = np.array([counter.get(k, 0) + smoothing for k in keys], dtype=float)
    return values / values.sum()


class Shape:
    """What the synthetic marketplace borrows from the demo and the taxonomy."""

    def __init__(self) -> None:
        demo_needs = read_json(DEMO_DIR / "needs.json")
        config = read_json(DEMO_DIR / "generator.json")
        self.areas = [row["code"] for row in area_rows()]
        self.cluster_of = np.array([row["cluster_code"] for row in area_rows()])
        self.area_weights = _weights(Counter(n["area_code"] for n in demo_needs), self.areas, smoothing=2.0)
        # Each demo need is a template for a duty country and its language requirements.
        self.templates = [(n["duty_country_iso3"], [(l["code"], l["min_level"]) for l in n["languages"]])
                          for n in demo_needs]
        self.duty_countries = sorted({country for country, _ in self.templates})
        countries = {row["iso3"]: row for row in country_rows()}
        self.africa = sorted(iso3 for iso3, row in countries.items() if row["region"] == "Africa")
        self.profiles = config["language_profiles"]
        self.nationalities = sorted(self.profiles)
        self.south = np.array([countries[c]["global_south"] for c in self.nationalities])
        self.country_names = {iso3: row["name"] for iso3, row in countries.items()}
        self.skills = skills_by_area()
        self.roles = config["area_roles"]
        codes = {code for profile in self.profiles.values() for code, _, _ in profile}
        codes |= {code for _, reqs in self.templates for code, _ in reqs} | set(EXTRA_LANGUAGES)
        self.languages = sorted(codes)


def make_orgs(shape: Shape) -> tuple[list[SyntheticOrg], dict[str, int]]:
    orgs = [SyntheticOrg(f"{PREFIX} requesting mission in {shape.country_names[c]}", "un_entity", c, True, False)
            for c in shape.duty_countries]
    for country in shape.nationalities:
        for kind, label in PROVIDER_KINDS:
            orgs.append(SyntheticOrg(f"{PREFIX} {label} of {shape.country_names[country]}", kind, country, False, True))
    orgs.append(SyntheticOrg(f"{PREFIX} African regional organization", "regional_organization", None, False, True,
                             members=shape.africa))
    orgs.append(SyntheticOrg(f"{PREFIX} intergovernmental roster", "intergovernmental_organization", None, False, True))
    return orgs, {org.name: index for index, org in enumerate(orgs)}


def _levels(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return (low + np.floor(rng.random(low.size) * (high - low + 1))).astype(np.int16)


def make_needs(rng: np.random.Generator, shape: Shape, orgs: list[SyntheticOrg], n: int) -> tuple[dict, dict]:
    template = rng.integers(0, len(shape.templates), n)
    duty = np.array([shape.templates[t][0] for t in template])
    requester_of = {org.country_iso3: i for i, org in enumerate(orgs) if org.may_request}
    regional = next(i for i, org in enumerate(orgs) if org.kind == "regional_organization")
    in_africa = np.isin(duty, shape.africa)
    needs = {
        "requester": np.array([requester_of[c] for c in duty]),
        "duty": duty,
        "area": rng.choice(len(shape.areas), n, p=shape.area_weights),
        "positions": rng.choice([1, 2, 3, 4], n, p=[0.6, 0.2, 0.12, 0.08]),
        "min_years": rng.integers(0, 13, n),
        "start_day": rng.integers(31, 31 + HORIZON_DAYS, n),
        "duration": rng.choice([3, 6, 9, 12], n, p=[0.1, 0.3, 0.25, 0.35]),
        "modality": rng.choice(["deployed_expert", "remote_advisory", "team", "twinning_mentoring", "training"], n,
                               p=[0.7, 0.08, 0.07, 0.1, 0.05]),
        "funding": rng.choice(["requester_paid", "provider_paid", "third_party"], n, p=[0.55, 0.2, 0.25]),
        "urgency": rng.choice(["low", "normal", "high", "critical"], n, p=[0.15, 0.55, 0.22, 0.08]),
        "status": rng.choice(["open", "partially_filled", "draft", "filled", "cancelled"], n,
                             p=[0.85, 0.05, 0.05, 0.03, 0.02]),
        # AU-style eligibility on some African needs: only members' nationals may supply.
        "eligible": np.where(in_africa & (rng.random(n) < 0.15), regional, -1),
    }
    need_idx, codes, levels = [], [], []
    jitter = rng.random(n)
    for i, t in enumerate(template):
        for code, level in shape.templates[t][1]:
            need_idx.append(i)
            codes.append(shape.languages.index(code))
            levels.append(min(6, level + 1) if jitter[i] < 0.3 else level)
    languages = {"need": np.array(need_idx), "language": np.array(codes), "min_level": np.array(levels)}
    return needs, languages


def make_offers(rng: np.random.Generator, shape: Shape, orgs: list[SyntheticOrg], n: int) -> tuple[dict, dict, dict]:
    providers = np.array([i for i, org in enumerate(orgs) if org.may_provide])
    nat_index = {c: i for i, c in enumerate(shape.nationalities)}
    home = np.array([nat_index.get(orgs[p].country_iso3, -1) for p in providers])
    weight = np.where(home >= 0, np.where(shape.south[home], 2.0, 1.0), 6.0)  # grouping bodies field many
    provider = rng.choice(providers, n, p=weight / weight.sum())
    org_home = np.full(len(orgs), -1)
    org_home[providers] = home
    nationality = org_home[provider]
    pooled = nationality < 0  # regional and intergovernmental providers recruit across countries
    african = np.array([nat_index[c] for c in shape.nationalities if c in shape.africa])
    is_regional = np.array([orgs[p].kind == "regional_organization" for p in provider])
    nationality[pooled & is_regional] = rng.choice(african, int((pooled & is_regional).sum()))
    nationality[pooled & ~is_regional] = rng.integers(0, len(shape.nationalities), int((pooled & ~is_regional).sum()))
    kind = rng.choice(["individual_expert", "expert_team", "institutional_partnership", "training"], n,
                      p=[0.9, 0.04, 0.03, 0.03])
    from_day = rng.integers(0, HORIZON_DAYS, n)
    # An expert is available for about as long as the longest assignment they would take:
    # windows of three months to two years, so long needs find fewer candidates than short ones.
    max_duration = rng.choice([3, 6, 9, 12, 18, 24], n, p=[0.25, 0.3, 0.2, 0.15, 0.07, 0.03])
    window = np.round(max_duration * 30.44).astype(int) + rng.integers(0, 31, n)
    offers = {
        "provider": provider, "nationality": nationality, "kind": kind,
        "female": rng.random(n) < 0.42,
        "years": rng.integers(2, 26, n),
        "capacity": np.where(kind == "individual_expert", 1, rng.integers(2, 5, n)),
        "from_day": from_day,
        "until_day": np.where(rng.random(n) < 0.003, -1, from_day + window),  # open-ended: rare
        "lead": rng.integers(7, 91, n),
        "max_duration": max_duration,
        "cost": rng.integers(40, 161, n) * 100,
        "screening_day": np.where(rng.random(n) < 0.05, rng.integers(0, HORIZON_DAYS, n), 4 * 365),
    }
    # Areas: a main one with the demand's frequencies, sometimes a second from the same cluster.
    main = rng.choice(len(shape.areas), n, p=shape.area_weights)
    second_wanted = rng.random(n) < 0.15
    same_cluster = [np.flatnonzero(shape.cluster_of == shape.cluster_of[a]) for a in range(len(shape.areas))]
    pick = rng.random(n)
    second = np.array([same_cluster[a][int(p * len(same_cluster[a]))] for a, p in zip(main, pick)])
    keep = second_wanted & (second != main)
    areas = {"offer": np.concatenate([np.arange(n), np.flatnonzero(keep)]),
             "area": np.concatenate([main, second[keep]])}
    offers["main_area"] = main
    # Languages: the nationality's profile at random levels within its range, plus sometimes one more.
    slots = [(nat_index[c], shape.languages.index(code), low, high)
             for c in shape.nationalities for code, low, high in shape.profiles[c]]
    slot_nat, slot_lang, slot_low, slot_high = (np.array(column) for column in zip(*slots))
    starts = np.searchsorted(slot_nat, np.arange(len(shape.nationalities)))
    counts = np.bincount(slot_nat, minlength=len(shape.nationalities))
    per_offer = counts[nationality]
    offer_idx = np.repeat(np.arange(n), per_offer)
    slot = np.repeat(starts[nationality], per_offer) + (np.arange(offer_idx.size) - np.repeat(np.cumsum(per_offer) - per_offer, per_offer))
    extra = np.flatnonzero(rng.random(n) < 0.25)
    extra_lang = np.array([shape.languages.index(c) for c in EXTRA_LANGUAGES])[rng.integers(0, len(EXTRA_LANGUAGES), extra.size)]
    offer_col = np.concatenate([offer_idx, extra])
    lang_col = np.concatenate([slot_lang[slot], extra_lang])
    level_col = np.concatenate([_levels(rng, slot_low[slot], slot_high[slot]), rng.integers(2, 6, extra.size)])
    # An extra language the profile already has keeps the higher level (one row per offer and language).
    order = np.lexsort((-level_col, lang_col, offer_col))
    offer_col, lang_col, level_col = offer_col[order], lang_col[order], level_col[order]
    first = np.ones(offer_col.size, dtype=bool)
    first[1:] = (offer_col[1:] != offer_col[:-1]) | (lang_col[1:] != lang_col[:-1])
    languages = {"offer": offer_col[first], "language": lang_col[first], "level": level_col[first]}
    return offers, areas, languages


def generate(n_needs: int, n_offers: int, seed: int) -> Synthetic:
    rng = np.random.default_rng(seed)
    shape = Shape()
    orgs, _ = make_orgs(shape)
    needs, need_languages = make_needs(rng, shape, orgs, n_needs)
    offers, offer_areas, offer_languages = make_offers(rng, shape, orgs, n_offers)
    return Synthetic(orgs, needs, need_languages, offers, offer_areas, offer_languages, shape.areas, shape.languages, seed)

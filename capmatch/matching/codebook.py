"""The codebook of a run: the database's codes (countries, languages, areas, skills) as the dense
integers the pure core works on, and days as numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

EPOCH = date(1970, 1, 1)
FAR_FUTURE = 2**31 - 1


def day_number(value: date | None, default: int = FAR_FUTURE) -> int:
    return default if value is None else (value - EPOCH).days


@dataclass
class Codebook:
    """Maps the database's codes to the dense integers the core works on."""

    countries: dict[str, int]
    country_south: np.ndarray
    country_region: np.ndarray
    country_subregion: np.ndarray
    languages: dict[str, int]
    areas: dict[str, int]
    names: dict[str, dict[int, str]] = field(default_factory=dict)  # "areas"/"languages"/"countries"
    skills: dict[str, int] = field(default_factory=dict)

    def skill(self, token: str) -> int:
        return self.skills.setdefault(token, len(self.skills))


def load_codebook(session: Session) -> Codebook:
    countries = session.execute(
        sa.text("SELECT iso3, global_south, region, sub_region, name FROM countries ORDER BY iso3")
    ).all()
    regions = {r: i for i, r in enumerate(sorted({c[2] for c in countries}))}
    subregions = {r: i for i, r in enumerate(sorted({c[3] for c in countries}))}
    languages = session.execute(sa.text("SELECT code, name FROM languages ORDER BY code")).all()
    areas = session.execute(sa.text("SELECT code, name FROM areas ORDER BY code")).all()
    return Codebook(
        countries={c[0]: i for i, c in enumerate(countries)},
        country_south=np.array([c[1] for c in countries], dtype=bool),
        country_region=np.array([regions[c[2]] for c in countries], dtype=np.int16),
        country_subregion=np.array([subregions[c[3]] for c in countries], dtype=np.int16),
        languages={row[0]: i for i, row in enumerate(languages)},
        areas={row[0]: i for i, row in enumerate(areas)},
        names={
            "areas": {i: row[1] for i, row in enumerate(areas)},
            "languages": {i: row[1] for i, row in enumerate(languages)},
            "countries": {i: row[4] for i, row in enumerate(countries)},
        },
    )


def dense_codes(values: np.ndarray, mapping: dict[str, int], missing: int = -1) -> np.ndarray:
    """Map an array of codes to dense integers through the unique values only."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int32)
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    return np.array([mapping.get(u, missing) for u in uniques], dtype=np.int32)[inverse]


def skill_codes(book: Codebook, tokens: np.ndarray) -> np.ndarray:
    if len(tokens) == 0:
        return np.zeros(0, dtype=np.int32)
    uniques, inverse = np.unique(tokens.astype(str), return_inverse=True)
    return np.array([book.skill(t) for t in uniques], dtype=np.int32)[inverse]

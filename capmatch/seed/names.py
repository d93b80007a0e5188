"""Fictional people: names combined at random from per-tradition lists in seed/names.json."""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache

from capmatch.seed import SEED_DIR
from capmatch.seed.files import read_json

FALLBACK_GROUP = "anglo"


@lru_cache
def name_lists() -> dict:
    return read_json(SEED_DIR / "names.json")


def group_for(country_iso3: str | None) -> str:
    return name_lists()["countries"].get(country_iso3 or "", FALLBACK_GROUP)


def make_name(rng: random.Random, country_iso3: str | None, gender: str) -> str:
    group = name_lists()["groups"][group_for(country_iso3)]
    given = rng.choice(group["female"] if gender == "female" else group["male"])
    return f"{given} {rng.choice(group['family'])}"


def email_local_part(full_name: str) -> str:
    """ASCII "given.family" for an address: accents dropped, anything else becomes a dot."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".")

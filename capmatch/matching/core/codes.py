"""The integer codes of the closed vocabularies in the problem's arrays.

Each word's code is its position in capmatch.enums, so the loader (snapshot.py) and the core agree
without a number written twice; gender keeps 0 for "not known or not said".
"""

from __future__ import annotations

from capmatch.enums import MODALITIES, OFFER_KINDS, ORGANIZATION_KINDS, URGENCIES


def _positions(words: tuple[str, ...]) -> dict[str, int]:
    return {word: code for code, word in enumerate(words)}


URGENCY = _positions(URGENCIES)
MODALITY = _positions(MODALITIES)
OFFER_KIND = _positions(OFFER_KINDS)
PROVIDER_KIND = _positions(ORGANIZATION_KINDS)
GENDER = {"female": 1, "male": 2, "other": 3}  # anything else, "undisclosed" included, is 0

"""The shipped skills vocabulary is sound, and the demo marketplace speaks it: every skill a code of its areas."""

from __future__ import annotations

import pytest

from capmatch.seed import DEMO_DIR
from capmatch.seed.files import read_json
from capmatch.seed.taxonomy import area_rows, skill_area_rows, skills_by_area


def test_every_area_has_skills_and_every_skill_names_a_known_area_once():
    areas = {row["code"] for row in area_rows()}
    pairs = [(row["area_code"], row["skill_code"]) for row in skill_area_rows()]
    assert {area for area, _skill in pairs} == areas
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize("name", ["needs.json", "offers.json", "institutional_offers.json"])
def test_every_demo_skill_is_a_code_of_its_records_areas(name):
    vocab = skills_by_area()
    for entry in read_json(DEMO_DIR / name):
        areas = [entry["area_code"]] if "area_code" in entry else entry["areas"]
        allowed = {code for area in areas for code in vocab[area]}
        assert set(entry["skills"]) <= allowed, (entry["title"], set(entry["skills"]) - allowed)


def test_every_skill_has_a_french_name_of_its_own():
    rows = {row["skill_code"]: row for row in skill_area_rows()}
    assert [code for code, row in rows.items() if not row["name_fr"]] == []
    french = [row["name_fr"] for row in rows.values()]
    assert len(set(french)) == len(french)  # two skills with one French name could not be told apart

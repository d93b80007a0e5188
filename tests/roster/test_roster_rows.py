"""Reading roster files into rows, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from capmatch.offers.import_rows import RawRow, RosterFileError, parse_roster, row_payload

DATA = Path(__file__).parent / "data"


def test_rows_are_numbered_by_the_line_they_start_on_even_after_a_multi_line_cell():
    parsed = parse_roster("good_roster.csv", (DATA / "good_roster.csv").read_bytes(), max_rows=10)
    assert [row.line for row in parsed.rows] == [2, 3, 5, 6]
    assert parsed.problems == []


def test_empty_cells_are_left_out_so_the_defaults_apply():
    parsed = parse_roster("good_roster.csv", (DATA / "good_roster.csv").read_bytes(), max_rows=10)
    course = parsed.rows[-1].cells
    assert "years_experience" not in course and "expert_name" not in course


def test_list_cells_become_lists_and_languages_pairs_of_code_and_level():
    payload, problems = row_payload(RawRow(7, {
        "areas": "police, ddr;mine_action", "skills": "Prison management; training ;",
        "languages": "fra:C1; eng : b2", "title": "x",
    }))
    assert problems == []
    assert payload["areas"] == ["police", "ddr", "mine_action"]
    assert payload["skills"] == ["Prison management", "training"]
    assert payload["languages"] == [{"code": "fra", "level": "C1"}, {"code": "eng", "level": "b2"}]


def test_a_cell_under_a_column_without_a_name_is_reported():
    parsed = parse_roster("r.csv", b"kind,title,areas,available_from,cost_bearer,\ntraining,T,ddr,2026-01-01,provider,oops\n",
                          max_rows=10)
    assert [(p.line, p.message) for p in parsed.problems] == [(2, "Cell 6 has a value but no column name.")]


def test_a_file_with_only_blank_lines_is_empty():
    with pytest.raises(RosterFileError, match="empty"):
        parse_roster("r.csv", b"\n,,,\n", max_rows=10)

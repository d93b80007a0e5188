"""A roster cell PostgreSQL cannot store is a row error in the preview, never a confirm that fails.

Before, a CSV whose title held a NUL previewed as fine and its confirm answered 500. (An XLSX cannot carry
one: XML 1.0 has no NUL, and openpyxl neither writes nor reads it.)
"""

from __future__ import annotations

import pytest

from capmatch.offers.import_rows import COLUMNS
from tests.roster.test_roster_views import offers_of, upload
from tests.web.html import parse

GOOD_ROW = ["individual_expert", "Corrections adviser", "", "Amina Odhiambo", "", "KEN", "female", "20",
            "corrections", "", "eng:C2", "1", "2026-01-01", "", "30", "12", "", "provider", "", ""]


def row_with(column: str, value: str) -> list[str]:
    row = list(GOOD_ROW)
    row[COLUMNS.index(column)] = value
    return row


def csv_bytes(*rows: list[str]) -> bytes:
    return ("\n".join([",".join(COLUMNS), *(",".join(r) for r in rows)]) + "\n").encode()


def problem_rows(response) -> list[tuple[str, str, str]]:
    table = parse(response.text).by_id("problems")
    return [tuple(td.text for td in tr.find_all("td")[:3]) for tr in table.find("tbody").find_all("tr")]


@pytest.mark.parametrize("column", ["title", "expert_name", "summary", "skills"])
def test_a_nul_in_a_csv_cell_is_a_row_error_in_the_preview_and_nothing_can_be_confirmed(
        client, login, session, world, column):
    login(world.provider)
    content = csv_bytes(GOOD_ROW, row_with(column, "Corrections\x00 adviser"))
    response = upload(client, "roster.csv", content)
    assert response.status_code == 400, response.text
    [(line, where, message)] = problem_rows(response)
    assert (line, where) == ("3", column)
    assert "cannot be stored (U+0000)" in message and "\x00" not in message
    assert parse(response.text).find("form", action="/roster/import/confirm") is None
    assert offers_of(session, world.kenya.id) == []

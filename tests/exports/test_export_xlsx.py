"""The XLSX writer, alone: cells read back as what they were, and it writes before it has read every row."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from openpyxl import load_workbook

from capmatch.exports.xlsx import column_letters, xlsx_chunks


def _read(chunks) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(chunks))).worksheets[0]
    return [[(c.value, c.data_type, c.is_date) for c in row] for row in sheet.iter_rows()]


def test_each_kind_of_value_reads_back_as_itself():
    row = [7, 2.5, Decimal("9500.50"), True, date(2027, 1, 1),
           datetime(2026, 12, 3, 12, 30, tzinfo=timezone(timedelta(hours=2))), None,
           "=HYPERLINK(\"http://evil.example\")", "+1; -2 @ <b> & \"q\"", "  spaced  ", "bell\x07 and\x0b tab\there"]
    header, cells = _read(xlsx_chunks([f"c{i}" for i in range(len(row))], [row], sheet="offers"))
    assert [value for value, _, _ in header] == [f"c{i}" for i in range(len(row))]
    assert cells[:4] == [(7, "n", False), (2.5, "n", False), (9500.5, "n", False), (True, "b", False)]
    assert cells[4] == (datetime(2027, 1, 1), "d", True)
    assert cells[5] == (datetime(2026, 12, 3, 10, 30), "d", True)  # in UTC
    assert cells[6][0] is None
    # Text is text, never a formula, whatever it starts with; what XML cannot carry is dropped.
    assert [c[:2] for c in cells[7:]] == [("=HYPERLINK(\"http://evil.example\")", "s"),
                                          ("+1; -2 @ <b> & \"q\"", "s"), ("  spaced  ", "s"),
                                          ("bell and tab\there", "s")]


def test_the_sheet_is_named_after_the_dataset_and_cut_to_excels_31_characters():
    book = load_workbook(io.BytesIO(b"".join(xlsx_chunks(["a"], [], sheet="needs & gaps " * 4))))
    assert book.sheetnames == [("needs & gaps " * 4)[:31]]
    assert [[c.value for c in row] for row in book.worksheets[0].iter_rows()] == [["a"]]


def test_chunks_leave_before_the_last_row_is_read():
    total, read = 50_000, 0

    def rows():
        nonlocal read
        for n in range(total):
            read += 1
            yield [n, f"Corrections adviser number {n}", date(2027, 1, 1) + timedelta(days=n % 365)]

    chunks = xlsx_chunks(["n", "title", "from"], rows(), sheet="offers")
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04") and read < total
    received = [first]
    while read < total // 2:
        received.append(next(chunks))
    assert sum(map(len, received)) > 64 * 1024  # compressed rows, not only the fixed parts
    received.extend(chunks)
    table = _read(received)
    assert len(table) == total + 1 and table[-1][1][0] == f"Corrections adviser number {total - 1}"


def test_column_letters_run_as_excel_names_them():
    assert [column_letters(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]

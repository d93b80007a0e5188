"""An export streams: more rows than fit the memory budget go out with the process's memory flat.

The rows are read through a server-side cursor and written chunk by chunk (XLSX compressed into
its zip as it goes), so the Python heap's peak while the whole file is consumed stays a fraction of
the file, and the first chunk leaves long before the last row is read.
"""

from __future__ import annotations

import io
import tempfile
import tracemalloc
import zipfile
from datetime import datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from capmatch.auth.actor import Actor
from capmatch.exports.service import ExportFilters, open_export
from tests.factories import make_organization

ROWS = 24_000
BUDGET = 3 * 1024 * 1024  # bytes of Python heap the export may grow by, whatever its size


@pytest.fixture
def many_offers(session):
    agency = make_organization(session, name="Bulk Agency", country_iso3="KEN")
    session.execute(sa.text("""
        INSERT INTO offers (provider_org_id, kind, title, summary, expert_name, expert_email, nationality_iso3,
                            gender, years_experience, skills, capacity, reserved, available_from, lead_time_days,
                            max_duration_months, monthly_cost_usd, cost_bearer, status)
        SELECT :org, 'individual_expert', 'Corrections adviser number ' || n,
               'Twenty years running prisons in three peace operations; trained ' || n || ' staff.',
               'Expert ' || n, 'expert' || n || '@bulk.example', 'KEN', 'female', 12,
               ARRAY['prison_management', 'training_of_trainers'], 1, 0, DATE '2027-01-01', 30, 12, 6500.25,
               'provider', 'available'
        FROM generate_series(1, :rows) AS n
    """), {"org": agency.id, "rows": ROWS})
    session.execute(sa.text("INSERT INTO offer_areas (offer_id, area_code) SELECT id, 'corrections' FROM offers "
                            "WHERE provider_org_id = :org"), {"org": agency.id})
    session.execute(sa.text("INSERT INTO offer_languages (offer_id, language_code, level) SELECT id, 'eng', 6 "
                            "FROM offers WHERE provider_org_id = :org"), {"org": agency.id})
    # As autovacuum would after such a load: planned as the near-empty tables last analyzed, the
    # cursor's correlated subqueries scanned every row of the children for each offer.
    session.execute(sa.text("ANALYZE offers, offer_areas, offer_languages"))
    return agency


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_an_export_larger_than_the_memory_budget_streams_with_memory_flat(session, many_offers, fmt):
    officer = Actor(user_id=0, role="officer", organization_id=None)
    exported = open_export(session, actor=officer, dataset="offers", fmt=fmt,
                           filters=ExportFilters(provider=many_offers.id))
    received = tempfile.TemporaryFile()  # as a client would save it: not in this process's heap
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        size = chunks = 0
        largest = 0
        for chunk in exported.chunks:
            received.write(chunk)
            size += len(chunk)
            chunks += 1
            largest = max(largest, len(chunk))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    growth = peak - start
    if fmt == "xlsx":  # a zip: what it holds is what had to be written
        received.seek(0)
        with zipfile.ZipFile(received) as book:
            size = sum(item.file_size for item in book.infolist())
            assert len(load_workbook(received, read_only=True).worksheets) == 1
    received.close()
    assert size > 2 * BUDGET, f"the file ({size:,} bytes) is not larger than the budget"
    assert growth < BUDGET, f"the heap grew by {growth:,} bytes for a {size:,}-byte file"
    assert chunks > 10 and largest < 256 * 1024, "sent in chunks, not as one body"


def test_the_first_chunk_comes_before_the_rows_are_all_read(session, many_offers):
    """The cursor is still open (rows left to read) when the first chunk is in hand."""
    officer = Actor(user_id=0, role="officer", organization_id=None)
    exported = open_export(session, actor=officer, dataset="offers", fmt="csv",
                           filters=ExportFilters(provider=many_offers.id))
    first = next(exported.chunks)
    cursors = session.execute(sa.text("SELECT count(*) FROM pg_cursors")).scalar()
    assert first.startswith("\ufeffoffer_id,".encode()) and first.count(b"\r\n") < ROWS // 10
    assert cursors == 1
    rest = b"".join(exported.chunks)
    assert (first + rest).count(b"\r\n") == ROWS + 1
    assert session.execute(sa.text("SELECT count(*) FROM pg_cursors")).scalar() == 0


def test_an_xlsx_export_sends_its_rows_before_they_are_all_read(session, many_offers):
    """Compressed rows of the sheet (not only the zip's fixed parts) leave while the cursor is open."""
    officer = Actor(user_id=0, role="officer", organization_id=None)
    exported = open_export(session, actor=officer, dataset="offers", fmt="xlsx",
                           filters=ExportFilters(provider=many_offers.id))
    sent = []
    while sum(map(len, sent)) < 256 * 1024:  # the fixed parts are a few kilobytes
        sent.append(next(exported.chunks))
    assert sent[0].startswith(b"PK\x03\x04")
    assert session.execute(sa.text("SELECT count(*) FROM pg_cursors")).scalar() == 1
    sent.extend(exported.chunks)
    assert session.execute(sa.text("SELECT count(*) FROM pg_cursors")).scalar() == 0
    book = load_workbook(io.BytesIO(b"".join(sent)), read_only=True)
    assert book.sheetnames == ["offers"]
    header, first, *rest = book.worksheets[0].iter_rows(values_only=True)
    assert header[:3] == ("offer_id", "kind", "title")
    assert len(rest) == ROWS - 1
    row = dict(zip(header, first))
    assert row["title"].startswith("Corrections adviser number ") and row["monthly_cost_usd"] == 6500.25
    assert row["available_from"] == datetime(2027, 1, 1) and row["capacity"] == 1

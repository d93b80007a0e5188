"""Rows written as CSV, HXL-tagged CSV, JSON or XLSX, as a stream of byte chunks.

Pure (no database, no web): each writer takes the columns and an iterator of rows and yields the
file piece by piece, so memory holds a chunk, never the file. XLSX is a zip whose parts are
compressed as they are written (capmatch.exports.xlsx), so it streams from its first rows too.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from capmatch.cells import csv_text
from capmatch.exports import xlsx
from capmatch.exports.chunks import CHUNK, gathered
from capmatch.exports.columns import Column

FORMATS = ("csv", "json", "xlsx", "hxl")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, sheet: str = "Export") -> Iterator[bytes]:
    if fmt == "json":
        return json_chunks(columns, rows)
    if fmt == "xlsx":
        return xlsx.xlsx_chunks([c.name for c in columns], rows, sheet=sheet)
    return csv_chunks(columns, rows, hxl=fmt == "hxl")


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, hxl: bool = False) -> Iterator[bytes]:
    """The column names, then (HXL) the hashtags, then a row per record. Plain CSV starts with a
    byte-order mark so Excel reads UTF-8; HXL tools read UTF-8 without one."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    if hxl:
        writer.writerow([c.tag for c in columns])
    first = True
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
        if buffer.tell() >= CHUNK:
            yield _take(buffer, bom=first and not hxl)
            first = False
    yield _take(buffer, bom=first and not hxl)


def _take(buffer: io.StringIO, *, bom: bool) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return ("\ufeff" + text if bom else text).encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not written as JSON")


def json_chunks(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """One array of objects, keyed by the column names, sent as it is written."""
    names = [c.name for c in columns]
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode

    def pieces() -> Iterator[str]:
        yield "["
        separator = "\n"
        for row in rows:
            yield separator + encode(dict(zip(names, row)))
            separator = ",\n"
        yield "\n]\n"

    return gathered(pieces())

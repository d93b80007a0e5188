"""What a cell of an exported CSV or XLSX file holds: text no spreadsheet runs as a formula, ISO dates, dot decimals.

Shared by every file the marketplace writes (roster exports, the open-data exports), so a cell
is made safe in one place. Pure: no database, no web.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

# A spreadsheet opening a cell that starts with one of these runs it as a formula. CSV cells get a
# quote in front (OWASP's advice for CSV injection); roster imports take it off again so exports re-import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 cannot carry: openpyxl refuses a cell holding one, which would break a file
# half-written; they are dropped from XLSX cells (CSV carries them as they are).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def formula_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(value: Any) -> str:
    """A CSV cell: empty for nothing, ISO 8601 for dates and times, numbers with a dot, text formula-safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return formula_safe(str(value))


def xlsx_cell(sheet, value: Any):
    """A write-only openpyxl cell: text stays text (never a formula), dates are dates, decimals numbers."""
    from openpyxl.cell import WriteOnlyCell  # imported here: CSV-only callers need not load it

    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)  # Excel has no time zones: UTC
    elif isinstance(value, str):
        value = xml_safe(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula: keep every text cell a string.
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-ddThh:mm:ss"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell

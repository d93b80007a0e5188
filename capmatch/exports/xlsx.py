"""Rows written as an XLSX workbook of one sheet, streamed as the rows are read.

An XLSX file is a zip of XML parts. The small fixed parts go first, then the sheet's XML, made a
row at a time and compressed on the way (stream-zip), so the first bytes leave before the first
row is read and memory holds a chunk, never the sheet. Cells are what the roster's openpyxl
writer makes: text as inline strings (never a formula, whatever it starts with), numbers as
numbers, booleans as booleans, dates and times as Excel serial numbers in a date format, times
in UTC. Pure: no database, no web.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from stat import S_IFREG
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from stream_zip import ZIP_32, stream_zip

from capmatch.cells import xml_safe
from capmatch.exports.chunks import CHUNK, gathered

_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (as openpyxl counts)
_DATE_STYLE, _DATETIME_STYLE = 1, 2  # indexes into the cellXfs of _STYLES

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
    '</Types>'
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    '</Relationships>'
)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-ddThh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def _workbook(sheet: str) -> str:
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name={quoteattr(xml_safe(sheet)[:31])} sheetId="1" r:id="rId1"/></sheets></workbook>')


def column_letters(index: int) -> str:
    """A, B, ..., Z, AA, ... for the 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, value: Any) -> str:
    """The <c> element of one cell ("" for an empty one)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"><v>{float(value) if isinstance(value, Decimal) else value!r}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # Excel has no time zones: UTC
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        delta = value - _EPOCH
        serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    text = xml_safe(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _sheet(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    letters = [column_letters(i) for i in range(len(header))]

    def row_xml(number: int, row: Sequence[Any]) -> str:
        return f'<row r="{number}">' + "".join(cell(f"{c}{number}", v) for c, v in zip(letters, row)) + "</row>"

    def pieces() -> Iterator[str]:
        yield f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>' + row_xml(1, header)
        for number, row in enumerate(rows, start=2):
            yield row_xml(number, row)
        yield "</sheetData></worksheet>"

    return gathered(pieces())


def xlsx_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str) -> Iterator[bytes]:
    """The workbook, a zip written as it goes; a part's size is known only once written (ZIP_32
    with data descriptors, which Excel reads; the sheet may grow to 4 GiB)."""
    modified = datetime.now()
    mode = S_IFREG | 0o644

    def part(name: str, text: str):
        return name, modified, mode, ZIP_32, (text.encode(),)

    members = (
        part("[Content_Types].xml", _CONTENT_TYPES),
        part("_rels/.rels", _ROOT_RELS),
        part("xl/workbook.xml", _workbook(sheet)),
        part("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        part("xl/styles.xml", _STYLES),
        ("xl/worksheets/sheet1.xml", modified, mode, ZIP_32, _sheet(header, rows)),
    )
    # Level 6, as zipfile and openpyxl compress: level 9 costs time for little.
    yield from stream_zip(members, chunk_size=CHUNK,
                          get_compressobj=lambda: zlib.compressobj(wbits=-zlib.MAX_WBITS, level=6))

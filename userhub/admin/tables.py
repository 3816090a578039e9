"""Spreadsheet files as French administrators make and open them.

Reading: CSV separated by `;` or `,`, in UTF-8 (with or without BOM) or Windows-1252, or an .xlsx
workbook (values only, bounded). Writing: CSV that a French Excel opens as it is (UTF-8 with BOM,
`;`, CRLF) or plain comma UTF-8, with cells that a spreadsheet would run as formulas made inert.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from ..i18n import gettext as _

MAX_COLUMNS = 50
# An .xlsx is a zip: bound what it unpacks to, whatever its compressed size (8 MiB uploads at most).
MAX_XLSX_UNPACKED = 64 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"

# Export formats: the default opens in a French Excel; "comma" is plain CSV for other tools.
EXCEL_FR = "excel-fr"
COMMA = "comma"
FORMATS = (EXCEL_FR, COMMA)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(ValueError):
    """The file cannot be read as a table; `line` is where (0 when it is the file as a whole)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Table:
    fieldnames: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]  # (line, {column: value})


def read_table(data: bytes, filename: str, max_rows: int) -> Table:
    """The header and rows of an uploaded CSV or .xlsx file. Raises UnreadableFile."""
    if filename.lower().endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, max_rows)
    return _read_csv(decode(data))


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not) when the bytes are valid UTF-8, else Windows-1252, as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(line, _("Byte 0x%(byte)02X cannot be read as UTF-8 or Windows-1252 text; save the "
                                     "file as “CSV UTF-8”.", byte=data[exc.start])) from exc


def sniff_delimiter(header: str) -> str:
    """`;` or `,`, whichever the header line has more of; a one-column header reads as `,`."""
    return ";" if header.count(";") > header.count(",") else ","


def _read_csv(text: str) -> Table:
    header = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(header))
    try:
        fieldnames = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as exc:
        raise UnreadableFile(1, str(exc)) from exc

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue  # blank lines, and lines of separators only, as spreadsheets leave them
                yield reader.line_num, dict(zip(fieldnames, values, strict=False))
        except csv.Error as exc:
            raise UnreadableFile(reader.line_num, _("This line cannot be read as CSV.")) from exc

    return Table(fieldnames, rows())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in Excel comes back as 3201.0
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # only a workbook pays for it

    not_xlsx = _("The file is not a valid .xlsx workbook.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(0, not_xlsx) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise UnreadableFile(0, _("The workbook is too large once unpacked."))
    try:
        # data_only: a formula's last saved value, never the formula; openpyxl evaluates nothing.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(0, not_xlsx) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise UnreadableFile(0, not_xlsx)
    too_wide = _("At most %(count)d columns.", count=MAX_COLUMNS)
    if (sheet.max_column or 0) > MAX_COLUMNS:
        raise UnreadableFile(1, too_wide)
    # The declared size can be absent or false: the reader stops on its own bounds too.
    values = sheet.iter_rows(values_only=True, max_row=max_rows + 2)
    fieldnames = [_cell(v).strip().lower() for v in next(values, ())]
    if len(fieldnames) > MAX_COLUMNS:
        raise UnreadableFile(1, too_wide)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for line, row in enumerate(values, start=2):
            if len(row) > MAX_COLUMNS:
                raise UnreadableFile(line, too_wide)
            cells = [_cell(v) for v in row]
            if any(c.strip() for c in cells):
                yield line, dict(zip(fieldnames, cells, strict=False))
        workbook.close()

    return Table(fieldnames, rows())


def strip_formula_guard(value: str) -> str:
    """Undo the quote that `inert` puts before a formula sign, so an export imports back."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def inert(value: object) -> str:
    """A cell that no spreadsheet runs as a formula (CSV injection): a leading = + - @ tab or CR is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class Writer:
    """CSV text in one of FORMATS; `row` returns the text of one line."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt if fmt in FORMATS else EXCEL_FR
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, delimiter=";" if self.fmt == EXCEL_FR else ",", lineterminator="\r\n")
        self.started = False

    def row(self, values: Iterable[object]) -> str:
        self._writer.writerow([inert(v) for v in values])
        text = self._out.getvalue()
        self._out.seek(0)
        self._out.truncate()
        if not self.started:
            self.started = True
            if self.fmt == EXCEL_FR:
                text = "\ufeff" + text  # the BOM tells Excel it is UTF-8
        return text

    def decimal(self, value: float) -> str:
        """Two decimals, with the comma a French Excel reads as a number, or the dot of plain CSV."""
        text = f"{value:.2f}"
        return text.replace(".", ",") if self.fmt == EXCEL_FR else text

    def rows(self, rows: Iterable[Iterable[object]]) -> str:
        return "".join(self.row(r) for r in rows)

"""Reading an uploaded CSV or XLSX file into a header and rows, refusing hostile files clearly.

Every limit is checked while the file streams, so a file that breaks one is refused as soon as
it is seen, in bounded time and memory (a workbook that expands to gigabytes of XML is refused
from its zip directory, before any XML is parsed):

* size: :data:`MAX_UPLOAD_BYTES` on disk, :data:`MAX_UNCOMPRESSED_BYTES` for an .xlsx's parts;
* shape: :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS` columns, :data:`MAX_CELLS` filled cells,
  :data:`MAX_CELL_CHARS` characters in a cell (Excel's own cell limit);
* text: a CSV is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or
  Windows-1252 (what older Excel "CSV" saves, the documented fallback); anything else, and
  any file with NUL or other control characters (a binary file), is refused with what to do;
* workbooks: only one sheet may hold data; a second non-empty sheet is refused, naming them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from django.conf import settings

# One setting for the file limit and the request-body limit (kccperf/middleware.py).
MAX_UPLOAD_BYTES: int = settings.KCCPERF_MAX_UPLOAD_BYTES
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELLS = 300_000
MAX_CELL_CHARS = 32_767

NOT_TEXT = "The file is not UTF-8 text"
SAVE_AS_CSV = "save it as CSV UTF-8"
# C0 controls other than tab, newline and carriage return: never in a spreadsheet's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Rows = list[tuple[int, dict[str, str]]]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, shape or size)."""


def read_table(content: bytes, filename: str) -> tuple[list[str], Rows]:
    """Header and rows (numbered as in the spreadsheet: header is row 1) of a CSV or XLSX file.

    Blank rows are skipped; each row maps a lower-cased column name to its cell's text.
    Raises :class:`ImportFileError` with a message for the person who uploaded the file.
    """
    suffix = Path(filename).suffix.lower()
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if suffix == ".csv":
        raw_rows: Iterable[tuple[int, list[str]]] = enumerate(
            _csv_rows(decode_text(content)), start=1
        )
    elif suffix == ".xlsx":
        raw_rows = _xlsx_rows(content)
    else:
        raise ImportFileError("The file must be a .csv or .xlsx file")
    return _table(raw_rows)


def decode_text(content: bytes) -> str:
    """The text of a CSV file, by its byte-order mark, else UTF-8, else Windows-1252."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, None),  # starts like UTF-16 LE: refused below, not misread
        (codecs.BOM_UTF32_BE, None),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            if encoding is None:
                break
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"{NOT_TEXT} (it starts like {encoding.upper()} text but byte "
                    f"{exc.start + 1} is not): {SAVE_AS_CSV}"
                ) from None
            return _checked_text(text)
    else:
        if b"\x00" not in content:
            try:
                return _checked_text(content.decode("utf-8"))
            except UnicodeDecodeError:
                pass
            try:
                # Windows-1252: older Excel's "CSV (Comma delimited)"; its five undefined
                # bytes make random binary fail here rather than turn into text.
                return _checked_text(content.decode("cp1252"))
            except UnicodeDecodeError:
                pass
    raise ImportFileError(f"{NOT_TEXT} (it looks like a binary file): {SAVE_AS_CSV}")


def _checked_text(text: str) -> str:
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise ImportFileError(
            f"{NOT_TEXT} (line {line} holds the control character {found.group()!r}): {SAVE_AS_CSV}"
        )
    return text


def _csv_rows(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(f"Line {reader.line_num}: not readable as CSV ({exc})") from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_zip(content: bytes) -> None:
    """Refuse a workbook whose parts would expand beyond the limit, before parsing any XML.

    zipfile stops reading a member at its declared size (and fails on a CRC mismatch), so the
    declared sizes bound what openpyxl can be made to read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(
            "The file is not a readable Excel workbook: save it as .xlsx or as CSV UTF-8"
        ) from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"The workbook expands to {total // (1024 * 1024)} MB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB a data file may hold: remove what "
            "is not data (pictures, other sheets, formatting) or save it as CSV UTF-8"
        )


class _Budget:
    """Cells seen so far across a workbook's sheets."""

    def __init__(self) -> None:
        self.cells = 0


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    _check_zip(content)
    try:
        reader = _open_workbook(content)
    except Exception:  # noqa: BLE001 - any unreadable workbook
        raise ImportFileError(
            "The file is not a readable Excel workbook: save it as .xlsx or as CSV UTF-8"
        ) from None
    try:
        filled: list[tuple[str, list[tuple[int, list[str]]]]] = []
        budget = _Budget()
        for title, path in _worksheets(reader):
            rows = _sheet_rows(reader, title, path, budget)
            if any(any(cells) for _, cells in rows):
                filled.append((title, rows))
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - malformed XML inside the zip
        raise ImportFileError(
            "The workbook is damaged and cannot be read: save it again as .xlsx or as CSV UTF-8"
        ) from None
    finally:
        reader.archive.close()
    if len(filled) > 1:
        names = ", ".join(f'"{title}"' for title, _ in filled)
        raise ImportFileError(
            f"The workbook has data on {len(filled)} sheets ({names}): keep the data to import "
            "on one sheet and delete or empty the others"
        )
    return filled[0][1] if filled else []


def _open_workbook(content: bytes):
    """openpyxl's reader up to (not including) its worksheets: opening a read-only worksheet
    scans all its XML for a size and pads rows to whatever size the file claims, so the rows
    are streamed here instead (:func:`_sheet_rows`)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
    except Exception:
        reader.archive.close()
        raise
    return reader


def _worksheets(reader) -> Iterator[tuple[str, str]]:
    for sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            yield sheet.name, rel.target


def _sheet_rows(reader, title: str, path: str, budget: _Budget) -> list[tuple[int, list[str]]]:
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = reader.wb
    rows: list[tuple[int, list[str]]] = []
    with reader.archive.open(path) as source:
        parser = WorkSheetParser(
            source,
            reader.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, parsed in parser.parse():
            if number > MAX_ROWS + 1:
                raise _too_many_rows(title)
            width = max((cell["column"] for cell in parsed if cell["value"] is not None), default=0)
            if width > MAX_COLUMNS:
                raise ImportFileError(
                    f'Sheet "{title}", row {number}: a value in column {get_column_letter(width)}; '
                    f"a data file has at most {MAX_COLUMNS} columns"
                )
            cells = [""] * width
            for cell in parsed:
                if 1 <= cell["column"] <= width:
                    cells[cell["column"] - 1] = _cell_text(cell["value"])
            _check_row(number, cells, budget, sheet=title)
            rows.append((number, cells))
    return rows


def _too_many_rows(sheet: str | None = None) -> ImportFileError:
    where = f' Sheet "{sheet}" has' if sheet else " The file has"
    return ImportFileError(
        f"{where.strip()} more than {MAX_ROWS:,} data rows: split it into smaller files"
    )


def _check_row(number: int, cells: list[str], budget: _Budget, *, sheet: str | None) -> None:
    where = f'Sheet "{sheet}", row {number}' if sheet else f"Row {number}"
    width = len(cells)
    while width and not cells[width - 1]:
        width -= 1
    if width > MAX_COLUMNS:
        raise ImportFileError(f"{where} has {width} columns; a data file has at most {MAX_COLUMNS}")
    budget.cells += sum(1 for cell in cells if cell)
    if budget.cells > MAX_CELLS:
        raise ImportFileError(
            f"The file has more than {MAX_CELLS:,} filled cells: split it into smaller files"
        )
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            raise ImportFileError(
                f"{where}, column {index + 1} holds {len(cell):,} characters; a cell holds at "
                f"most {MAX_CELL_CHARS:,}"
            )


def _table(raw_rows: Iterable[tuple[int, list[str]]]) -> tuple[list[str], Rows]:
    iterator = iter(raw_rows)
    budget = _Budget()
    number, first = next(iterator, (1, []))
    if not any(cell.strip() for cell in first):
        raise ImportFileError("The file is empty: row 1 must hold the column names")
    if number != 1:
        raise ImportFileError(f"Row 1 must hold the column names; the first filled row is {number}")
    _check_row(1, first, budget, sheet=None)
    header = [cell.strip().lower() for cell in first]
    rows: Rows = []
    for index, cells in iterator:
        if index > MAX_ROWS + 1:
            raise _too_many_rows()
        _check_row(index, cells, budget, sheet=None)
        if not any(str(cell).strip() for cell in cells):
            continue
        rows.append(
            (
                index,
                {
                    name: str(cells[i]).strip() if i < len(cells) else ""
                    for i, name in enumerate(header)
                    if name
                },
            )
        )
    return header, rows

"""Making stored text safe for a file format: the one home of the rules every export shares.

Text typed or pasted into the portal can hold characters a file format cannot: Word's manual
line break is a vertical tab (``\\x0b``), which XML 1.0 (so .docx and .xlsx) forbids, as it
forbids the other C0 controls, ``\\ufffe``/``\\uffff`` and lone surrogates. Spreadsheets run
text that starts like a formula, and an .xlsx cell holds at most 32,767 characters.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

# Word's line break (vertical tab) and page break (form feed) read as line breaks.
BREAKS = re.compile("[\x0b\x0c]")
# What XML 1.0 cannot hold, apart from the breaks above: dropped.
ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
# A surrogate on its own is not a character: shown as the replacement character.
SURROGATES = re.compile("[\ud800-\udfff]")
# Text starting with one of these is run as a formula by Excel (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
TRUNCATED = " [truncated: the full text is in the portal]"

Cell = str | int | float | Decimal | bool | date | datetime | None


def clean_text(text: str) -> str:
    """The text without the characters XML 1.0 forbids (and that no file needs)."""
    if text.isprintable():  # the common case: nothing to do (also skips the regexes)
        return text
    text = BREAKS.sub("\n", text)
    text = ILLEGAL.sub("", text)
    return SURROGATES.sub("\ufffd", text)


def escape_formula(value: Cell) -> Cell:
    """Text a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are left alone (a negative number is data, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _utf16_length(text: str) -> int:
    # Excel counts UTF-16 code units: a character outside the BMP (an emoji) counts twice.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` UTF-16 code units, ending with a visible marker when shortened."""
    if len(text) * 2 <= limit or _utf16_length(text) <= limit:
        return text
    room = limit - len(TRUNCATED)
    kept = text[:room]
    while _utf16_length(kept) > room:
        kept = kept[:-1]
    return kept + TRUNCATED


def local_time(value: datetime) -> datetime:
    """An aware time as a naive Europe/London (the portal's zone) time: files have no zones."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def spreadsheet_text(value: str) -> str:
    """A body cell's text for CSV: clean, then formula-escaped (so a control character
    in front of ``=`` cannot hide a formula)."""
    escaped = escape_formula(clean_text(value))
    assert isinstance(escaped, str)
    return escaped


def spreadsheet_value(value: object) -> Cell:
    """A body cell for CSV or XLSX: text cleaned and escaped, numbers and dates kept."""
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return local_time(value) if isinstance(value, datetime) else value
    return spreadsheet_text(str(value))


def xml_newlines(text: str) -> str:
    """Line ends as XML reads them: a parser turns CR and CRLF into LF anyway."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def xlsx_text(value: str, *, header: bool = False, escaped: bool = False) -> str:
    """Text for an .xlsx cell: clean, formula-escaped unless a header, within the cell limit.
    ``escaped``: the text already went through :func:`spreadsheet_value` (cleaned and
    escaped), so only the cell's own rules are left."""
    if not escaped:
        value = clean_text(value) if header else spreadsheet_text(value)
    return truncate(xml_newlines(value), XLSX_CELL_LIMIT)

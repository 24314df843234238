"""The .xlsx writer's short way for plain text and numbers (kccperf.output.xlsx.XlsxSheet.append)
writes exactly what the long way (cell_value, display_width, _cell) writes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.safestring import mark_safe

from kccperf.output.xlsx import XlsxSheet

VALUES: list[object] = [
    "plain",
    "",
    None,
    "=SUM(A1:A2)",
    "+44 1622 000000",
    "-5 below",
    "@mention",
    "\tindented",
    "\r\nCRLF first",
    "two\nlines, the second longer",
    "carriage\rreturn",
    "Word's\x0bbreak and \x0cpage",
    "\x00\x01",
    "bad \ud800 surrogate",
    "<b>bold</b> & co",
    "x" * 40_000,
    "😀" * 20_000,
    0,
    -12,
    2**60,
    1.5,
    14760.0,
    float("nan"),
    Decimal("12.500"),
    Decimal("1E+3"),
    Decimal("-0.10"),
    True,
    False,
    date(2019, 9, 30),
    datetime(2019, 9, 30, 14, 5),
    mark_safe("safe <text>"),
    ["a", "list"],
]


def test_the_short_way_writes_what_the_long_way_writes():
    short, long = XlsxSheet("S", ["h"]), XlsxSheet("S", ["h"])
    for start in range(0, len(VALUES), 5):
        row = VALUES[start : start + 5]
        short.append(row)
        long._append(row, header=False)
    for value in VALUES:
        short.append([value, value])
        long._append([value, value], header=False)
    assert short.rows == long.rows
    assert short.widths == long.widths
    assert short.xml() == long.xml()

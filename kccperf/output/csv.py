"""The one CSV writer: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), every text
cell cleaned and formula-escaped by ``kccperf.output.text``, numbers left as numbers,
times in Europe/London. CSV has no length limit, so long text is kept whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from kccperf.output.text import clean_text, spreadsheet_value

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def _write(
    out: io.StringIO | HttpResponse, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([clean_text(str(h)) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else v for v in map(spreadsheet_value, row)])


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The file's text, starting with the byte-order mark."""
    buffer = io.StringIO()
    _write(buffer, headers, rows)
    return buffer.getvalue()


def csv_response(
    headers: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> HttpResponse:
    """The download of a CSV file."""
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _write(response, headers, rows)
    return response

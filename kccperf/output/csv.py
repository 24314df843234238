"""The one CSV writer: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), the
column names on the first line, every cell by the house conventions
(``kccperf.output.conventions``: text cleaned and formula-escaped, Yes/No, ISO dates,
Europe/London times, empty for missing). CSV has no length limit, so long text is kept whole.
What the file is (report, quarter, extraction time) is in its name."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from kccperf.output.conventions import About, csv_cell
from kccperf.output.text import clean_text

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def _write(
    out: io.StringIO | HttpResponse, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([clean_text(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The file's text, starting with the byte-order mark."""
    buffer = io.StringIO()
    _write(buffer, headers, rows)
    return buffer.getvalue()


def csv_download(content: str | bytes, filename: str) -> HttpResponse:
    """A CSV file made by :func:`csv_text` as a download."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    headers: Sequence[str], rows: Iterable[Sequence[object]], about: About
) -> HttpResponse:
    """The download of a CSV file, named by ``about`` (report, quarter, extraction time)."""
    response = csv_download(b"", about.filename("csv"))
    _write(response, headers, rows)
    return response

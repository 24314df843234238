from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from kccperf.models import Outcome, ReportingPeriod
from kccperf.periods import Quarter
from reports.builders import build
from reports.models import Report, ReportTable
from reports.services import CellValue, TableData, publish, save_table

Q2 = Quarter(2019, 2)


def make_table(**overrides) -> ReportTable:
    n = ReportTable.objects.count() + 1
    fields = {
        "slug": f"table-{n}",
        "quarter": Q2,
        "title": f"Table {n}",
        "rows": [{"label": "Row A", "group": ""}, {"label": "Row B", "group": ""}],
        "columns": [{"label": "Col 1", "group": ""}, {"label": "Col 2", "group": ""}],
        "cells": {
            (0, 0): CellValue(Decimal("1")),
            (0, 1): CellValue(Decimal("2")),
            (1, 0): CellValue(Decimal("3.5"), 1),
        },
    }
    fields.update(overrides)
    return save_table(TableData(**fields))


def make_report(kind: str = Report.Kind.QPR, quarter: Quarter = Q2, outcome: int | None = None):
    period = ReportingPeriod.objects.ensure(quarter)
    outcome_obj = None
    if outcome is not None:
        outcome_obj, _ = Outcome.objects.get_or_create(
            number=outcome, defaults={"title": f"Outcome {outcome}"}
        )
    report, _ = Report.objects.get_or_create(kind=kind, period=period, outcome=outcome_obj)
    return report


def make_published(kind: str = Report.Kind.QPR, quarter: Quarter = Q2, outcome=None, user=None):
    report = make_report(kind, quarter, outcome)
    publish(report, build(report), user)
    return report


# The QPR on screen is in parts (reports.qpr_parts): the contents links every part, a
# directorate's pager its next page.
PART_LINK = re.compile(r'<nav class="report-contents.*?</nav>', re.S)
NEXT_PAGE = re.compile(r'<li><a href="([^"]+)">Next<span class="visually-hidden"> page of')


def qpr_parts(client, url: str) -> list[tuple[str, str]]:
    """Every part and page of the QPR on screen from ``url`` (its front part), as (address,
    HTML): the contents' links followed, then each directorate's pages."""
    front = client.get(url)
    assert front.status_code == 200, url
    html = front.content.decode()
    contents = PART_LINK.search(html)
    assert contents, "no contents on the QPR's front part"
    pages = [(url, html)]
    for link in re.findall(r'href="([^"]+)"', contents.group(0))[1:]:
        address = unescape(link)
        while address:
            response = client.get(address)
            assert response.status_code == 200, address
            part = response.content.decode()
            pages.append((address, part))
            following = NEXT_PAGE.search(part)
            address = unescape(following.group(1)) if following else ""
    return pages


def whole_qpr_html(client, url: str) -> str:
    """The HTML of every part and page of the QPR on screen, one after the other."""
    return "\n".join(html for _, html in qpr_parts(client, url))

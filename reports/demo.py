"""Demo supporting tables of the Q2 2019/20 QPR (fixtures/reports_demo.json), and the
seed quarter's reports published."""

from __future__ import annotations

from kccperf.demo import LIVE_QUARTER, SEED_QUARTER, quarter_moment, read_fixture
from kccperf.models import Directorate, Outcome, ReportingPeriod, User
from kccperf.periods import Quarter
from reports.builders import build
from reports.formatting import parse_cell
from reports.models import Report, ReportVersion
from reports.services import CellValue, TableData, publish, save_table


def table_data(item: dict, directorates: dict[str, Directorate]) -> TableData:
    data = TableData(
        slug=item["slug"],
        quarter=Quarter.parse(item["quarter"]),
        title=item["title"],
        directorate=directorates[item["directorate"]] if item.get("directorate") else None,
        footnote=item.get("footnote", ""),
        row_header=item.get("row_header", ""),
        empty_text=item.get("empty_text", "–"),
        order=item.get("order", 0),
        rows=[{"label": r["label"], "group": r.get("group", "")} for r in item["rows"]],
        columns=[{"label": c["label"], "group": c.get("group", "")} for c in item["columns"]],
    )
    for r, row in enumerate(item["rows"]):
        for c, text in enumerate(row["values"]):
            if text is not None:
                data.cells[(r, c)] = CellValue(*parse_cell(text))
    return data


def load(password: str) -> None:
    load_tables()
    publish_seed_quarter()


def load_tables() -> None:
    """The supporting tables the seed QPR prints."""
    directorates = {d.slug: d for d in Directorate.objects.all()}
    for item in read_fixture("reports_demo.json")["tables"]:
        save_table(table_data(item, directorates))


def publish_seed_quarter() -> None:
    """The seed quarter's reports are out (the QPR and every SDP report, published by the
    demo analyst a month after the quarter ended) and every quarter before the live one is
    closed. A report already published is left as it is."""
    period = ReportingPeriod.objects.for_quarter(SEED_QUARTER)
    analyst = User.objects.filter(username="analyst").first()
    moment = quarter_moment(SEED_QUARTER)
    wanted = [(Report.Kind.QPR, None), (Report.Kind.SDP_COUNCIL, None)]
    wanted += [(Report.Kind.SDP_OUTCOME, outcome) for outcome in Outcome.objects.all()]
    for kind, outcome in wanted:
        report, _ = Report.objects.get_or_create(kind=kind, period=period, outcome=outcome)
        if not report.versions.exists():
            version = publish(report, build(report), analyst)
            ReportVersion.objects.filter(pk=version.pk).update(published_at=moment)
    ReportingPeriod.objects.filter(pk=period.pk).update(published_at=moment, closed_at=moment)
    for earlier in ReportingPeriod.objects.filter(start__lt=LIVE_QUARTER.start):
        earlier.close()

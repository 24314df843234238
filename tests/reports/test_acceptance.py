"""Acceptance: the demo data (seed figures) in the reports' pages, Word files and workbook.

Fixtures (tests/reports/conftest.py): ``qpr_demo`` loads what the QPR is built from,
``demo`` the whole demo data set."""

from decimal import Decimal
from html import unescape

import pytest

from kccperf.periods import Quarter
from reports.models import ReportTable
from tests.spreadsheets import assert_named

pytestmark = pytest.mark.django_db


def grid_text(table: ReportTable) -> list[list[str]]:
    return [[cell["text"] for cell in row["cells"]] for row in table.as_data()["rows"]]


def test_demo_tables_have_the_seed_numbers(qpr_demo):
    tables = {t.slug: t for t in ReportTable.objects.for_quarter(Quarter(2019, 2)).with_cells()}
    assert set(tables) == {
        "calls-by-service",
        "complaints-by-service",
        "digital-take-up",
        "s106-contributions",
        "local-growth-fund-projects",
        "children-in-care",
        "adult-social-care-survey",
    }
    calls = grid_text(tables["calls-by-service"])
    assert calls[0] == ["26", "28", "31", "31", "116", "127"]
    assert calls[-1] == ["127", "140", "130", "146", "543", "601"]
    complaints = grid_text(tables["complaints-by-service"])
    assert complaints[-1] == ["4,618", "5,142", "1,396", "1,770"]
    assert grid_text(tables["digital-take-up"])[0] == ["76%", "77%", "77%", "77%", "1,289,941"]
    assert grid_text(tables["s106-contributions"])[-2:] == [
        ["8,772", "2,237", "4,688", "1,341"],
        ["99%", "99%", "100%", "100%"],
    ]
    lgf = grid_text(tables["local-growth-fund-projects"])
    assert lgf[0] == ["50.4", "71.5", "55.29", "6.9", "90.7", "274.79"]
    assert lgf[2] == ["12", "5", "6", "1", "1", "25"]
    children = tables["children-in-care"].as_data()["rows"]
    totals = {
        r["label"]: [c["raw"] for c in r["cells"]] for r in children if r["group"] == "Status"
    }
    assert totals["Total"] == ["1604", "1590", "1664", "1767"]
    survey = grid_text(tables["adult-social-care-survey"])
    assert survey[1] == ["N/A*", "N/A*", "35%", "39%", "N/A*", "N/A*", "30%", "39%"]


def test_demo_tables_add_up_where_the_seed_is_not_rounded(qpr_demo):
    table = ReportTable.objects.with_cells().get(slug="children-in-care").as_data()
    by_group: dict[str, list[list[Decimal]]] = {}
    for row in table["rows"]:
        by_group.setdefault(row["group"], []).append([Decimal(c["raw"]) for c in row["cells"]])
    total = by_group["Status"][2]
    for group in ("Gender", "Age group", "Ethnicity"):
        assert [sum(col) for col in zip(*by_group[group], strict=True)] == total
    lgf = ReportTable.objects.with_cells().get(slug="local-growth-fund-projects").as_data()
    rows = [[Decimal(c["raw"] or 0) for c in r["cells"]] for r in lgf["rows"]]
    for row in rows:
        assert sum(row[:-1]) == row[-1]
    for column in range(6):  # projects = complete + green + amber + red
        assert rows[2][column] == sum(rows[r][column] for r in (3, 4, 5, 6))


# The Quarterly Performance Report, Q2 2019/20 --------------------------------------------

SECTIONS = {
    "Customer Services": (["Shellina Prendergast"], "Amanda Beer"),
    "Economic Development & Communities": (["Mike Whiting", "Mike Hill"], "Barbara Cooper"),
    "Environment and Transport": (["Michael Payne", "Susan Carey"], "Barbara Cooper"),
    "Children, Young People and Education": (["Sue Chandler"], "Matt Dunkley"),
    "Adult Social Care": (["Clair Bell"], "Penny Southern"),
    "Public Health": (["Clair Bell"], "Andrew Scott-Clark"),
}
# A row of each seed table, as printed.
TABLE_ROWS = [
    ["Adult Social Care", "26", "28", "31", "31", "116", "127"],
    ["Total complaints", "4,618", "5,142", "1,396", "1,770"],
    ["Renew a library book*", "76%", "77%", "77%", "77%", "1,289,941"],
    ["Secured as % of amount sought", "99%", "99%", "100%", "100%"],
    ["Total scheme value (£m)", "50.4", "71.5", "55.29", "6.9", "90.7", "274.79"],
    ["Total", "1,604", "1,590", "1,664", "1,767"],
    [
        "Carers who are extremely or very satisfied with their care and support",
        "N/A*",
        "N/A*",
        "35%",
        "39%",
        "N/A*",
        "N/A*",
        "30%",
        "39%",
    ],
]


@pytest.fixture
def qpr_published(cast, qpr_demo):
    from reports.models import Report
    from tests.reports.factories import make_published

    return make_published(Report.Kind.QPR, Quarter(2019, 2), user=cast["dan"])


def html_rows(html: str) -> list[list[str]]:
    """Every table row of a page as its cells' text."""
    import re

    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def test_the_qpr_page_has_the_seed_figures(client, carol, qpr_published):
    """Gathered across the parts the screen shows the report in (the front, each
    directorate, the risk overview)."""
    from tests.reports.factories import whole_qpr_html

    client.force_login(carol)
    html = unescape(whole_qpr_html(client, "/reports/qpr/2019-20-q2/"))
    assert "This report has 35 key performance indicators" in html
    assert "Green / Amber / Red: <strong>28 / 5 / 2</strong>" in html
    for name, (members, director) in SECTIONS.items():
        assert f">{name}</h2>" in html
        assert ", ".join(members) in html
        assert director in html
    assert html.count('class="report-section print-section"') >= 8
    rows = html_rows(html)
    for expected in TABLE_ROWS:
        assert expected in rows
    risk_rows = [r for r in rows if r and r[0] in ("Low", "Medium", "High", "Total")]
    assert ["Low", "0", "3"] in risk_rows
    assert ["Medium", "8", "15"] in risk_rows
    assert ["High", "11", "1"] in risk_rows
    # Every KPI has its chart.
    assert html.count('class="report-kpi"') == 35


def docx_text(content: bytes) -> tuple[list[str], list[list[str]]]:
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    rows = [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]
    return paragraphs, rows, document


def test_the_qpr_word_file_has_the_seed_figures(client, dan, qpr_published):
    client.force_login(dan)
    response = client.get("/reports/qpr/2019-20-q2/?version=1&_export=docx")
    assert response.status_code == 200
    assert 'filename="qpr-2019-20-q2-v1.docx"' in response["Content-Disposition"]
    paragraphs, rows, document = docx_text(response.content)
    assert "This report has 35 key performance indicators (KPIs)." in paragraphs
    assert ["KPIs", "Green", "Amber", "Red", "Improved", "Worsened", "No change"] in rows
    assert any(r[:4] == ["35", "28", "5", "2"] for r in rows)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for name, (members, director) in SECTIONS.items():
        assert name in headings
        label = "Cabinet members" if len(members) > 1 else "Cabinet member"
        assert f"{label}: {', '.join(members)}" in paragraphs
        assert any(p.endswith(f": {director}") for p in paragraphs)
    for expected in TABLE_ROWS:
        assert expected in rows
    assert ["Low", "0", "3"] in rows and ["Medium", "8", "15"] in rows
    assert ["High", "11", "1"] in rows and ["Total", "19", "19"] in rows
    # RAG as words, shaded; page numbers from a PAGE field in the footer.
    xml = document.element.xml
    assert 'w:fill="CCE2D8"' in xml
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer


def test_the_analyst_workbook_has_real_numbers_and_every_sheet(client, dan, demo):
    import io
    from datetime import datetime

    from openpyxl import load_workbook

    client.force_login(dan)
    response = client.get("/reports/workbook/2019-20-q2.xlsx")
    assert response.status_code == 200
    assert_named(response, "analyst-workbook-2019-20-Q2", "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "About",  # the report, quarter and extraction time
        "KPI scorecard",
        "Activity indicators",
        "SDP returns",
        "Outcome figures",
        "Risk register",
        "Mitigating actions",
        "Supporting tables",
    ]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
    about = dict(workbook["About"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert about["Report"] == "Analyst workbook" and about["Quarter"] == "Q2 2019/20"
    assert workbook.active.title == "KPI scorecard"  # opens on the data
    kpis = list(workbook["KPI scorecard"].iter_rows(min_row=2, values_only=True))
    assert len(kpis) == 35
    rag = [row[11] for row in kpis]
    assert (rag.count("Green"), rag.count("Amber"), rag.count("Red")) == (28, 5, 2)
    assert all(isinstance(row[6], int | float) for row in kpis)
    returns = list(workbook["SDP returns"].iter_rows(min_row=2, values_only=True))
    assert len(returns) == 79
    figures = {
        (row[0], row[2]): row for row in workbook["Outcome figures"].iter_rows(values_only=True)
    }
    assert figures[("Outcome 1", "delivery.on_track")][4:7] == (9, 14, 64)
    risks = list(workbook["Risk register"].iter_rows(min_row=2, values_only=True))
    assert len(risks) == 19
    assert isinstance(risks[0][7], datetime)
    tables = list(workbook["Supporting tables"].iter_rows(min_row=2, values_only=True))
    cell = next(r for r in tables if r[0] == "digital-take-up" and r[5] == "Renew a library book*")
    assert cell[8] == 76 and cell[9] == "%"


def test_the_workbook_escapes_text_that_excel_would_run(client, dan, qpr_demo):
    import io

    from openpyxl import load_workbook

    table = ReportTable.objects.get(slug="calls-by-service")
    table.title = "=HYPERLINK(1)"
    table.save()
    client.force_login(dan)
    response = client.get("/reports/workbook/2019-20-q2.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Supporting tables"]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]]
    assert "'=HYPERLINK(1)" in titles


# The SDP monitoring report, Outcome 1 ------------------------------------------------------

OVERVIEW = [
    ("Activities that submitted a return", "100% (14)"),
    ("Activities on track for successful delivery", "64% (9)"),
    ("Activities that require remedial action", "29% (4)"),
    ("Activities unlikely to be achieved", "7% (1)"),
    ("Activities due to complete in 2019/20 that are not on track", "71% (5)"),
    ("Activities not on track that are People Commissioning activities", "60% (3)"),
    ("Activities that identified key milestones", "64% (9)"),
    ("Activities not on track with issues of the theme: Capacity", "100% (5)"),
    ("Activities with issues that have mitigating actions or escalations", "100% (5)"),
    ("Activities expecting to report to Cabinet Committees in 2019/20", "57% (8)"),
    ("Activities not on track recorded on project/programme risk registers", "60% (3)"),
]


def test_the_outcome_1_sdp_report_and_word_file_have_the_overview_figures(client, dan, demo):
    client.force_login(dan)
    response = client.post("/reports/sdp/2019-20-q2/outcome-1/publish/", {"note": ""})
    assert response.status_code == 302
    html = unescape(client.get("/reports/sdp/2019-20-q2/outcome-1/").content.decode())
    rows = [r[:2] for r in html_rows(html)]
    for label, display in OVERVIEW:
        assert [label, display] in rows
    for number, title in [(1, "Submissions"), (4, "Issues"), (9, "Activity scorecards")]:
        assert f"{number}. {title}</h2>" in html
    content = client.get("/reports/sdp/2019-20-q2/outcome-1/?version=1&_export=docx").content
    paragraphs, docx_rows, _ = docx_text(content)
    for label, display in OVERVIEW:
        assert any(r[:2] == [label, display] for r in docx_rows)
    assert "1. Submissions" in paragraphs and "8. Risk" in paragraphs

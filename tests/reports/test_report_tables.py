from decimal import Decimal

import pytest

from kccperf import lookups
from reports.formatting import format_cell, parse_cell
from reports.imports import ReportTableImporter
from reports.models import ReportTable
from reports.services import CellValue, TableData, save_table
from tests.factories import make_directorate
from tests.reports.factories import Q2, make_table

pytestmark = pytest.mark.django_db

HEADER = "table_slug,quarter,title,directorate,row_group,row_label,column_group,column_label,"
CSV = (
    HEADER
    + """value,footnote,empty_text
calls,Q2 2019/20,Calls (thousands),customer-services,,Adult Social Care,,Apr–Jun 19,31,Rounded,
calls,Q2 2019/20,,,,Adult Social Care,,Jul–Sep 19,31,,
calls,Q2 2019/20,,,,Highways,,Apr–Jun 19,17,,
calls,Q2 2019/20,,,,Highways,,Jul–Sep 19,,,
survey,2019-20-q2,Survey,,,Satisfied,2018-19,Kent,71%,,N/A*
survey,2019-20-q2,,,,Satisfied,2018-19,National average,64%,,
"""
)


def grid_text(table: ReportTable) -> list[list[str]]:
    return [[cell["text"] for cell in row["cells"]] for row in table.as_data()["rows"]]


@pytest.mark.parametrize(
    ("text", "expected", "printed"),
    [
        ("1,289,941", (Decimal("1289941"), 0, ""), "1,289,941"),
        ("76%", (Decimal("76"), 0, "%"), "76%"),
        ("£1.3", (Decimal("1.3"), 1, "£"), "£1.3"),
        ("274.79", (Decimal("274.79"), 2, ""), "274.79"),
        ("", (None, 0, ""), "–"),
    ],
)
def test_cells_print_as_they_were_typed(text, expected, printed):
    assert parse_cell(text) == expected
    assert format_cell(*expected) == printed


def test_a_cell_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        parse_cell("lots")


@pytest.fixture
def customer_services(db):
    return make_directorate(slug="customer-services", name="Customer Services", short_name="CS")


def test_an_import_builds_whole_tables_in_the_order_of_the_file(cast, customer_services):
    plan = ReportTableImporter().run(CSV.encode(), "tables.csv", cast["dan"])
    assert plan.ok, [str(e) for e in plan.errors]
    calls = ReportTable.objects.with_cells().get(slug="calls")
    assert calls.directorate.slug == "customer-services"
    assert calls.title == "Calls (thousands)"
    assert [c["label"] for c in calls.columns] == ["Apr–Jun 19", "Jul–Sep 19"]
    assert grid_text(calls) == [["31", "31"], ["17", "–"]]
    survey = ReportTable.objects.with_cells().get(slug="survey")
    assert survey.period.quarter == Q2 and survey.empty_text == "N/A*"
    assert [c["group"] for c in survey.columns] == ["2018-19", "2018-19"]
    assert grid_text(survey) == [["71%", "64%"]]


def test_importing_the_same_file_again_changes_nothing(cast, customer_services):
    ReportTableImporter().run(CSV.encode(), "tables.csv", cast["dan"])
    again = ReportTableImporter().plan(CSV.encode(), "tables.csv")
    assert (len(again.new), len(again.changed), len(again.unchanged)) == (0, 0, 6)


def test_a_changed_value_is_previewed_as_a_change_and_applied(cast, customer_services):
    ReportTableImporter().run(CSV.encode(), "tables.csv", cast["dan"])
    changed = CSV.replace("Highways,,Apr–Jun 19,17", "Highways,,Apr–Jun 19,18")
    plan = ReportTableImporter().plan(changed.encode(), "tables.csv")
    assert [c.fields for c in plan.changed] == [[("value", Decimal("17.0000"), Decimal("18"))]]
    ReportTableImporter().run(changed.encode(), "tables.csv", cast["dan"])
    assert grid_text(ReportTable.objects.with_cells().get(slug="calls"))[1][0] == "18"


def test_import_errors_name_the_row_and_column_and_write_nothing(cast, customer_services):
    bad = CSV.replace("Jul–Sep 19,31,,", "Jul–Sep 19,lots,,").replace(
        "calls,Q2 2019/20,,,,Highways,,Apr–Jun 19",
        "calls,Q2 2019/20,Other title,,,Highways,,Apr–Jun 19",
    )
    plan = ReportTableImporter().run(bad.encode(), "tables.csv", cast["dan"])
    messages = [str(e) for e in plan.errors]
    assert "Row 3, column \"value\": not a number ('lots')" in messages
    assert ReportTable.objects.count() == 0


def test_table_level_values_must_agree_within_a_table(cast, customer_services):
    bad = CSV.replace(
        "calls,Q2 2019/20,,,,Highways,,Apr–Jun 19", "calls,Q2 2019/20,Other,,,Highways,,Apr–Jun 19"
    )
    plan = ReportTableImporter().plan(bad.encode(), "tables.csv")
    assert 'Row 4, column "title": differs from row 2 of the same table' in [
        str(e) for e in plan.errors
    ]


def test_saving_the_same_table_twice_writes_nothing(django_assert_num_queries):
    table = make_table()
    data = TableData(
        slug=table.slug,
        quarter=Q2,
        title=table.title,
        rows=table.rows,
        columns=table.columns,
        cells={
            (0, 0): CellValue(Decimal("1")),
            (0, 1): CellValue(Decimal("2")),
            (1, 0): CellValue(Decimal("3.5"), 1),
        },
    )
    # savepoint, period, table, cells, release (no writes)
    with django_assert_num_queries(5):
        save_table(data)
    assert save_table(data).updated_at == table.updated_at


def test_an_analyst_corrects_a_cell_on_the_edit_page(client, dan):
    table = make_table()
    client.force_login(dan)
    page = client.get(f"/reports/tables/{table.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update({"cell_1_1": "76%", "directorate": "", "row_0": "Row A renamed"})
    response = client.post(f"/reports/tables/{table.pk}/edit/", data)
    assert response.status_code == 302
    table = ReportTable.objects.with_cells().get(pk=table.pk)
    assert grid_text(table) == [["1", "2"], ["3.5", "76%"]]
    assert table.rows[0]["label"] == "Row A renamed"
    assert table.updated_by == dan


def test_the_edit_page_names_a_bad_cell(client, dan):
    table = make_table()
    client.force_login(dan)
    form = client.get(f"/reports/tables/{table.pk}/edit/").context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update({"cell_0_0": "many", "directorate": ""})
    response = client.post(f"/reports/tables/{table.pk}/edit/", data)
    assert response.status_code == 200
    assert "Row A, Col 1: Enter a number" in response.content.decode()


def test_the_tables_list_does_not_query_per_table(client, dan, django_assert_num_queries):
    client.force_login(dan)
    for _ in range(3):
        make_table()
    counts = []
    for more in (0, 12):
        for _ in range(more):
            make_table()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        lookups.clear()  # both counted cold: the kept roles and quarters are read too
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/tables/2019-20-q2/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_list_of_tables_gives_each_size_from_the_database_in_a_fixed_number_of_queries(
    client, dan, django_assert_max_num_queries, django_assert_num_queries
):
    """The list counts each table's rows and columns in SQL (its cells are not loaded), so it
    costs the same queries however many tables there are; it is rendered once per version of
    the data, and a table saved is on the very next list."""
    from django.urls import reverse

    url = reverse("reports:tables-period", kwargs={"period": Q2})
    client.force_login(dan)
    make_table(title="Homes by district")
    lookups.clear()
    with django_assert_max_num_queries(25) as small:  # the list rendered (a new version)
        html = client.get(url).content.decode()
    assert "2 rows × 2 columns" in html
    make_table(
        title="Bigger",
        rows=[{"label": f"Row {n}", "group": ""} for n in range(5)],
        columns=[{"label": "Only", "group": ""}],
        cells={(n, 0): CellValue(Decimal(n)) for n in range(5)},
    )
    for n in range(3):
        make_table(title=f"More {n}")
    lookups.clear()
    with django_assert_num_queries(len(small.captured_queries)):  # rendered again: as many
        html = client.get(url).content.decode()
    assert "5 rows × 1 columns" in html and html.count("2 rows × 2 columns") == 4
    with django_assert_max_num_queries(len(small.captured_queries) - 1):  # from the cache
        assert client.get(url).content.decode().count("2 rows × 2 columns") == 4

"""The "Load KPI data" page and the upload -> preview -> confirm pages of the three imports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kccperf.models import ImportBatch
from kpis.models import IndicatorValue, KpiResult, KpiResultRevision, KpiTarget
from tests.kpis.factories import make_indicator, make_kpi, make_result, make_target

pytestmark = pytest.mark.django_db

# Session, user, the user's own and group permissions (2), the reporting periods (period
# switcher), the latest imports with their uploaders, the user's groups (navigation); SET
# CONSTRAINTS and the data versions (the imports are kccperf data: the roles, permissions and
# quarters kept in memory under its version are read again). The chooser's list of KPIs
# comes from the figure cache (kpis data, which the imports here leave alone).
QUERIES = 9
UPLOADS = ["kpis:import-results", "kpis:import-targets", "kpis:import-indicators"]


def upload(client, name: str, text: str, filename: str = "data.csv"):
    file = SimpleUploadedFile(filename, text.encode(), "text/csv")
    return client.post(reverse(name), {"file": file})


def test_the_load_data_page_links_the_three_uploads_their_templates_and_the_form(
    analyst_client,
):
    response = analyst_client.get(reverse("kpis:load-data"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in UPLOADS:
        assert f'href="{reverse(name)}"' in html
        assert f'href="{reverse(f"{name}-template", kwargs={"fmt": "csv"})}"' in html
        assert f'href="{reverse(f"{name}-template", kwargs={"fmt": "xlsx"})}"' in html
    assert 'name="kpi"' in html and 'name="quarter"' in html
    assert "import_kpi_results" in html


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_only_analysts_load_data(client, cast, who):
    client.force_login(cast[who])
    assert client.get(reverse("kpis:load-data")).status_code == 403
    for name in UPLOADS:
        assert client.get(reverse(name)).status_code == 403
        assert upload(client, name, "kpi_code\n").status_code == 403
    kpi = make_kpi()
    edit = reverse("kpis:result-edit", kwargs={"code": kpi.code, "period": "2019-20-q2"})
    assert client.post(edit, {"value": "5"}).status_code == 403
    assert not KpiResult.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_good_file_is_previewed_as_new_changed_unchanged_then_confirmed(analyst_client, dan):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q1 2019/20", 80)
    make_result(kpi, "Q2 2019/20", 85, provisional=True)
    response = upload(
        analyst_client,
        "kpis:import-results",
        "kpi_code,quarter,value,provisional\n"
        "CYPE05,Q1 2019/20,80,no\n"
        "CYPE05,Q2 2019/20,87,yes\n"
        "CYPE05,Q3 2019/20,88,yes\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    for count, label in ((1, "new rows"), (1, "changed rows"), (1, "unchanged rows")):
        assert f'{count}</span><span class="figure-label">{label}' in html
    assert "CYPE05 Q2 2019/20" in html and "CYPE05 Q3 2019/20" in html
    # Nothing is written by the preview.
    assert KpiResult.objects.count() == 2
    batch = ImportBatch.objects.get()
    response = analyst_client.post(
        reverse("kpis:import-results-confirm", kwargs={"batch_id": batch.pk})
    )
    assert response.status_code == 302
    assert dict(KpiResult.objects.values_list("period__label", "value")) == {
        "Q1 2019/20": Decimal(80),
        "Q2 2019/20": Decimal(87),
        "Q3 2019/20": Decimal(88),
    }
    revision = KpiResultRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.revised_by) == (85, 87, dan)
    follow = analyst_client.get(response["Location"])
    assert "1 new, 1 changed, 1 unchanged rows" in follow.content.decode()


def test_a_file_with_errors_shows_row_and_column_messages_and_writes_nothing(analyst_client):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q2 2019/20", 85)
    response = upload(
        analyst_client,
        "kpis:import-results",
        "kpi_code,quarter,value\n"
        "CYPE05,Q2 2019/20,99\nNOPE01,Q2 2019/20,5\nCYPE05,Q1 2019/20,n/a\n",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Row 3, column &quot;kpi_code&quot;: unknown KPI code (&#x27;NOPE01&#x27;)" in html
    assert "Row 4, column &quot;value&quot;: not a number (&#x27;n/a&#x27;)" in html
    assert "Nothing has been saved" in html
    assert list(KpiResult.objects.values_list("value", flat=True)) == [Decimal(85)]
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED


def test_targets_and_indicator_values_import_through_their_pages(analyst_client):
    make_kpi(code="CYPE05")
    make_indicator(slug="children-in-care")
    for name, text in (
        ("kpis:import-targets", "kpi_code,financial_year,target,floor\nCYPE05,2019/20,90,80\n"),
        ("kpis:import-indicators", "indicator,period,value\nchildren-in-care,Q2 2019/20,1650\n"),
    ):
        assert upload(analyst_client, name, text).status_code == 200
        batch = ImportBatch.objects.latest("pk")
        confirm = reverse(f"{name}-confirm", kwargs={"batch_id": batch.pk})
        assert analyst_client.post(confirm).status_code == 302
    assert KpiTarget.objects.get(kpi__code="CYPE05").floor == 80
    assert IndicatorValue.objects.get(indicator__slug="children-in-care").value == 1650


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("kpis:import-results", "kpi_code,quarter,value,provisional,commentary,data_period"),
        ("kpis:import-targets", "kpi_code,financial_year,from_quarter,target,floor,reason"),
        ("kpis:import-indicators", "indicator,period,value,upper,lower,benchmark"),
    ],
)
def test_templates_download_with_the_documented_columns(analyst_client, name, header):
    csv = analyst_client.get(reverse(f"{name}-template", kwargs={"fmt": "csv"}))
    assert csv.content.decode("utf-8-sig").splitlines()[0] == header
    xlsx = analyst_client.get(reverse(f"{name}-template", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert ",".join(cell.value for cell in sheet[1]) == header


def test_the_templates_example_row_imports_cleanly_against_matching_data(analyst_client):
    """The example row of the results template is a valid row once its KPI exists."""
    kpi = make_kpi(code="CYPE05")
    make_target(kpi)
    template = analyst_client.get(reverse("kpis:import-results-template", kwargs={"fmt": "csv"}))
    response = upload(analyst_client, "kpis:import-results", template.content.decode("utf-8-sig"))
    assert response.status_code == 200
    assert '1</span><span class="figure-label">new rows' in response.content.decode()


def test_choosing_a_kpi_and_quarter_opens_the_value_form(analyst_client):
    make_kpi(code="CYPE05")
    response = analyst_client.get(
        reverse("kpis:load-data"), {"kpi": "CYPE05", "quarter": "Q2 2019/20"}
    )
    assert response["Location"] == reverse(
        "kpis:result-edit", kwargs={"code": "CYPE05", "period": "2019-20-q2"}
    )


def test_the_chooser_says_what_is_wrong(analyst_client):
    make_kpi(code="CYPE05")
    response = analyst_client.get(reverse("kpis:load-data"), {"kpi": "", "quarter": "Q7 2019"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_kpi">KPI: Choose a KPI' in html
    assert 'href="#id_quarter">Quarter: Enter a quarter like Q2 2019/20' in html


def test_the_load_data_page_runs_the_same_queries_for_3_or_30_imports(
    analyst_client, dan, django_assert_num_queries
):
    make_kpi()
    analyst_client.get(reverse("kpis:load-data"))  # the chooser rendered once
    for batches in (3, 30):
        ImportBatch.objects.all().delete()
        ImportBatch.objects.bulk_create(
            ImportBatch(kind="kpi-results", filename=f"{n}.csv", content=b"", uploaded_by=dan)
            for n in range(batches)
        )
        with django_assert_num_queries(QUERIES):
            response = analyst_client.get(reverse("kpis:load-data"))
        assert response.content.decode().count("<tr>") == 1 + min(batches, 10)

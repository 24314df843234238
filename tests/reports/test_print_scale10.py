"""Printing at 10 × the council's size (``generate_synthetic --scale 10``): the SDP outcome
report, the outcome dashboard and the heat maps printed as a person prints them, nothing
wider than the A4 text width; the QPR's PDF download (421 pages, 760 charts) opens with its
outline, running header and charts. Slow (about 3 minutes to generate the data, minutes to
print), so marked ``scale10`` and left out of the default run: ``pytest -m scale10``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from reports.models import ReportVersion
from tests.browser_helpers import sign_in
from tests.factories import PASSWORD
from tests.reports.test_browser_print import print_like_a_person, stranded_headings

pytestmark = [pytest.mark.browser, pytest.mark.scale10, pytest.mark.django_db(transaction=True)]


def test_the_10x_reports_dashboard_and_heat_maps_print_on_a4(page, artifacts):
    call_command("generate_synthetic", "--scale", "10", password=PASSWORD, verbosity=0)
    version = (
        ReportVersion.objects.filter(report__kind="qpr")
        .select_related("report__period")
        .order_by("-report__period__start")
        .first()
    )
    quarter = version.report.period.quarter
    sign_in(page, "analyst")
    pages = {
        "sdp-outcome": f"/reports/sdp/{quarter.slug}/outcome-1/?draft=1",
        "outcome-dashboard": f"/monitoring/dashboards/outcome/1/{quarter.slug}/",
        "heat-maps": f"/risks/heatmaps/{quarter.slug}/",
    }
    for name, url in pages.items():
        wide, pdf, headings = print_like_a_person(page, url)
        (artifacts / f"print-10x-{name}.pdf").write_bytes(pdf)
        assert wide == [], f"{name}: wider than the A4 text width: {wide[:5]}"
        reader = PdfReader(io.BytesIO(pdf))
        assert stranded_headings(reader, headings) == [], name
        assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()

    client = Client()
    client.force_login(page_user("analyst"))
    response = client.get(
        f"{version.report.get_absolute_url()}?version={version.number}&_export=pdf"
    )
    assert response.status_code == 200
    (artifacts / "print-10x-qpr.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 300
    assert reader.outline
    texts = [p.extract_text() for p in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert f"Published: version {version.number}" in text
    assert "\n".join(texts).count(quarter.label) > 700  # on the charts' axes


def page_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)

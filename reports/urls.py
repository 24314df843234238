from django.urls import path

from kccperf.converters import period_paths
from kccperf.import_views import import_urls
from reports import views
from reports.imports import ReportTableImporter

app_name = "reports"


def _report_urls(prefix: str, kind: str, page) -> list:
    """The page of a report and its actions (publish, edit texts, versions)."""
    extra = {"kind": kind}
    return [
        path(prefix, page, name=kind),
        path(f"{prefix}publish/", views.publish, extra, name=f"{kind}-publish"),
        path(f"{prefix}texts/", views.texts, extra, name=f"{kind}-texts"),
        path(f"{prefix}versions/", views.changes, extra, name=f"{kind}-versions"),
    ]


urlpatterns = [
    # /reports/
    *period_paths("", views.index, "index", period_name="index-period"),
    # /reports/qpr/<period>/
    *_report_urls("qpr/<quarter:period>/", "qpr", views.qpr),
    # /reports/sdp/<period>/
    *_report_urls("sdp/<quarter:period>/", "sdp-council", views.sdp_council),
    *_report_urls("sdp/<quarter:period>/outcome-<int:number>/", "sdp-outcome", views.sdp_outcome),
    # /reports/workbook/<period>.xlsx
    path("workbook/<quarter:period>.xlsx", views.workbook, name="workbook"),
    # /reports/tables/
    *period_paths("tables/", views.tables, "tables", period_name="tables-period"),
    path("tables/<int:pk>/edit/", views.table_edit, name="table-edit"),
    *import_urls(ReportTableImporter, name="import-tables", prefix="tables/import/"),
]

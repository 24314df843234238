from django.urls import path

from kccperf.converters import period_paths
from kccperf.import_views import import_urls
from kpis import data_views, views
from kpis.imports import IndicatorValuesImporter, KpiResultsImporter, KpiTargetsImporter

app_name = "kpis"

urlpatterns = [
    # /kpis/ : the council scorecard
    *period_paths("", views.scorecard, "scorecard"),
    # /kpis/summary/
    *period_paths("summary/", views.summary, "summary"),
    # /kpis/directorates/<slug>/
    *period_paths("directorates/<slug:slug>/", views.directorate, "directorate"),
    path(
        "directorates/<slug:slug>/<quarter:period>/commentary/",
        views.commentary_edit,
        name="commentary-edit",
    ),
    # /kpis/kpi/<code>/
    *period_paths("kpi/<str:code>/", views.kpi_detail, "kpi-detail"),
    # /kpis/indicators/<slug>/
    *period_paths("indicators/<slug:slug>/", views.indicator_detail, "indicator-detail"),
    # /kpis/load-data/ : analysts load results, targets and indicator values
    path("load-data/", data_views.load_data, name="load-data"),
    path(
        "load-data/value/<str:code>/<quarter:period>/",
        data_views.result_edit,
        name="result-edit",
    ),
    path(
        "load-data/value/<str:code>/<quarter:period>/verify/",
        data_views.result_verify,
        name="result-verify",
    ),
    # /kpis/verify/ : analysts and data owners verify a quarter's values
    *period_paths("verify/", data_views.verify_quarter, "verify"),
    *import_urls(KpiResultsImporter, name="import-results", prefix="load-data/results/"),
    *import_urls(KpiTargetsImporter, name="import-targets", prefix="load-data/targets/"),
    *import_urls(IndicatorValuesImporter, name="import-indicators", prefix="load-data/indicators/"),
]

from django.urls import path

from kccperf.import_views import import_urls
from kpis import data_views, views
from kpis.imports import IndicatorValuesImporter, KpiResultsImporter, KpiTargetsImporter

app_name = "kpis"

urlpatterns = [
    # /kpis/ : the council scorecard
    path("", views.scorecard, name="scorecard"),
    path("<quarter:period>/", views.scorecard, name="scorecard"),
    # /kpis/summary/
    path("summary/", views.summary, name="summary"),
    path("summary/<quarter:period>/", views.summary, name="summary"),
    # /kpis/directorates/<slug>/
    path("directorates/<slug:slug>/", views.directorate, name="directorate"),
    path("directorates/<slug:slug>/<quarter:period>/", views.directorate, name="directorate"),
    path(
        "directorates/<slug:slug>/<quarter:period>/commentary/",
        views.commentary_edit,
        name="commentary-edit",
    ),
    # /kpis/kpi/<code>/
    path("kpi/<str:code>/", views.kpi_detail, name="kpi-detail"),
    path("kpi/<str:code>/<quarter:period>/", views.kpi_detail, name="kpi-detail"),
    # /kpis/indicators/<slug>/
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path(
        "indicators/<slug:slug>/<quarter:period>/", views.indicator_detail, name="indicator-detail"
    ),
    # /kpis/load-data/ : analysts load results, targets and indicator values
    path("load-data/", data_views.load_data, name="load-data"),
    path(
        "load-data/value/<str:code>/<quarter:period>/",
        data_views.result_edit,
        name="result-edit",
    ),
    *import_urls(KpiResultsImporter, name="import-results", prefix="load-data/results/"),
    *import_urls(KpiTargetsImporter, name="import-targets", prefix="load-data/targets/"),
    *import_urls(IndicatorValuesImporter, name="import-indicators", prefix="load-data/indicators/"),
]

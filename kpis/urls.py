from django.urls import path

from kpis import views

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
    # /kpis/kpi/<code>/
    path("kpi/<str:code>/", views.kpi_detail, name="kpi-detail"),
    path("kpi/<str:code>/<quarter:period>/", views.kpi_detail, name="kpi-detail"),
    # /kpis/indicators/<slug>/
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path(
        "indicators/<slug:slug>/<quarter:period>/", views.indicator_detail, name="indicator-detail"
    ),
]

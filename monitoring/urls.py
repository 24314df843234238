from django.urls import path

from kccperf.converters import period_paths
from kccperf.import_views import import_urls
from monitoring import dashboard_views, scorecard_views, views
from monitoring.imports import ReturnsImporter

app_name = "monitoring"

urlpatterns = [
    # /monitoring/returns/ (lead officers)
    *period_paths("returns/", views.my_returns, "my-returns", period_name="my-returns-period"),
    path(
        "returns/<int:activity_pk>/<quarter:period>/",
        views.return_edit,
        name="return-edit",
    ),
    path(
        "returns/<int:activity_pk>/<quarter:period>/history/",
        views.return_history,
        name="return-history",
    ),
    path(
        "returns/<int:activity_pk>/<quarter:period>/reopen/",
        views.return_reopen,
        name="return-reopen",
    ),
    path(
        "returns/<int:activity_pk>/<quarter:period>/sign-off/",
        views.return_sign_off,
        name="return-sign-off",
    ),
    # /monitoring/sign-off/ (approvers; analysts on behalf)
    path("sign-off/", views.sign_off_list, name="sign-off-list"),
    # /monitoring/windows/ (analysts)
    path("windows/", views.window_list, name="window-list"),
    path("windows/new/", views.window_edit, name="window-create"),
    path("windows/<int:pk>/", views.window_edit, name="window-edit"),
    # /monitoring/chase/ (analysts)
    *period_paths("chase/", views.chase, "chase", period_name="chase-period"),
    path(
        "chase/<quarter:period>/outcome/<int:outcome>/",
        views.chase,
        name="chase-outcome",
    ),
    path("chase/<quarter:period>/remind/", views.chase_remind, name="chase-remind"),
    # /monitoring/import/ (analysts: historic returns)
    *import_urls(ReturnsImporter, name="import-returns", prefix="import/"),
    # /monitoring/dashboards/ (CMT and analysts)
    *period_paths("dashboards/", dashboard_views.dashboard_index, "dashboard-index"),
    *period_paths("dashboards/council/", dashboard_views.council_dashboard, "council-dashboard"),
    path(
        "dashboards/council/<quarter:period>/analysis/",
        dashboard_views.analysis_edit,
        name="council-analysis-edit",
    ),
    *period_paths(
        "dashboards/outcome/<int:outcome>/", dashboard_views.outcome_dashboard, "outcome-dashboard"
    ),
    path(
        "dashboards/outcome/<int:outcome>/<quarter:period>/analysis/",
        dashboard_views.analysis_edit,
        name="analysis-edit",
    ),
    # /monitoring/scorecards/
    *period_paths("scorecards/<int:activity_pk>/", scorecard_views.scorecard, "scorecard"),
    path(
        "scorecards/outcome/<int:outcome>/<quarter:period>/print/",
        scorecard_views.scorecards_print,
        name="scorecards-print",
    ),
    path(
        "scorecards/outcome/<int:outcome>/<quarter:period>/xlsx/",
        scorecard_views.scorecards_xlsx,
        name="scorecards-xlsx",
    ),
]

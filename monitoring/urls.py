from django.urls import path

from kccperf.import_views import import_urls
from monitoring import views
from monitoring.imports import ReturnsImporter

app_name = "monitoring"

urlpatterns = [
    # /monitoring/returns/ (lead officers)
    path("returns/", views.my_returns, name="my-returns"),
    path("returns/<quarter:period>/", views.my_returns, name="my-returns-period"),
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
    # /monitoring/windows/ (analysts)
    path("windows/", views.window_list, name="window-list"),
    path("windows/new/", views.window_edit, name="window-create"),
    path("windows/<int:pk>/", views.window_edit, name="window-edit"),
    # /monitoring/chase/ (analysts)
    path("chase/", views.chase, name="chase"),
    path("chase/<quarter:period>/", views.chase, name="chase-period"),
    path(
        "chase/<quarter:period>/outcome/<int:outcome>/",
        views.chase,
        name="chase-outcome",
    ),
    path("chase/<quarter:period>/remind/", views.chase_remind, name="chase-remind"),
    # /monitoring/import/ (analysts: historic returns)
    *import_urls(ReturnsImporter, name="import-returns", prefix="import/"),
]

from django.urls import path, register_converter

from kccperf.import_views import import_urls
from risks import views
from risks.imports import RiskRegisterImporter


class RiskRefConverter:
    """``<riskref:ref>``: a register reference such as CRR0001."""

    regex = r"CRR[0-9]{4,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RiskRefConverter, "riskref")

app_name = "risks"

urlpatterns = [
    # /risks/
    path("", views.register, name="register"),
    path("new/", views.risk_create, name="risk-create"),
    # /risks/overview/
    path("overview/", views.overview, name="overview"),
    path("overview/<quarter:period>/", views.overview, name="overview-period"),
    # /risks/heatmaps/
    path("heatmaps/", views.heatmap, name="heatmap"),
    path("heatmaps/<quarter:period>/", views.heatmap, name="heatmap-period"),
    # /risks/refreshes/
    path("refreshes/new/", views.refresh_record, name="refresh-record"),
    path("refreshes/<int:pk>/", views.overview, name="overview-refresh"),
    # /risks/cross-check/
    path("cross-check/", views.crosscheck, name="crosscheck"),
    path("cross-check/<quarter:period>/", views.crosscheck, name="crosscheck-period"),
    # /risks/import/
    *import_urls(RiskRegisterImporter, name="import", prefix="import/"),
    # /risks/actions/<pk>/
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/updates/new/", views.action_update, name="action-update"),
    # /risks/CRR0001/
    path("<riskref:ref>/", views.risk_detail, name="risk-detail"),
    path("<riskref:ref>/edit/", views.risk_edit, name="risk-edit"),
    path("<riskref:ref>/remove/", views.risk_remove, name="risk-remove"),
    path("<riskref:ref>/actions/new/", views.action_create, name="action-create"),
]

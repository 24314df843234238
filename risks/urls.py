from django.urls import path, register_converter

from kccperf.converters import period_paths
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
    *period_paths("overview/", views.overview, "overview", period_name="overview-period"),
    # /risks/heatmaps/
    *period_paths("heatmaps/", views.heatmap, "heatmap", period_name="heatmap-period"),
    # /risks/refreshes/
    path("refreshes/new/", views.refresh_record, name="refresh-record"),
    path("refreshes/<int:pk>/", views.overview, name="overview-refresh"),
    # /risks/cross-check/
    *period_paths("cross-check/", views.crosscheck, "crosscheck", period_name="crosscheck-period"),
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

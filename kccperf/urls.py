from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kccperf import import_views, views

admin.site.site_header = "kccperf administration"
handler400 = "kccperf.views.bad_request"
admin.site.site_title = "kccperf"

urlpatterns = [
    # /
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("period/", views.switch_period, name="switch-period"),
    path("periods/<quarter:period>/stage/", views.period_stage, name="period-stage"),
    path("load-data/", import_views.load_data, name="load-data"),
    # /accounts/
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # the apps
    path("monitoring/", include("monitoring.urls")),
    path("kpis/", include("kpis.urls")),
    path("risks/", include("risks.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

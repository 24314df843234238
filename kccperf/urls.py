from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kccperf import import_views, views
from kccperf.sso import forms as sso_forms
from kccperf.sso import views as sso_views

admin.site.site_header = "kccperf administration"
handler400 = "kccperf.views.bad_request"
admin.site.site_title = "kccperf"
# Single sign-on: the admin's login obeys KCCPERF_LOCAL_LOGIN too.
admin.site.login_form = sso_forms.AdminLoginForm

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
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=sso_forms.LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", sso_views.SignOutView.as_view(), name="logout"),
    # /oidc/ single sign-on (start, callback)
    path("oidc/", include("kccperf.sso.urls")),
    # the apps
    path("monitoring/", include("monitoring.urls")),
    path("kpis/", include("kpis.urls")),
    path("risks/", include("risks.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kccperf import account_views, import_views, views
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
    # /accounts/: your account, password change and reset, two-factor
    path("accounts/", account_views.account, name="account"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/set-up/", account_views.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", account_views.two_factor_verify, name="two-factor-verify"),
    path(
        "accounts/two-factor/turn-off/", account_views.two_factor_disable, name="two-factor-disable"
    ),
    # the apps
    path("monitoring/", include("monitoring.urls")),
    path("kpis/", include("kpis.urls")),
    path("risks/", include("risks.urls")),
    path("reports/", include("reports.urls")),
    path("changes/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

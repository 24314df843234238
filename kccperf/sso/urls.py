from django.urls import path

from kccperf.sso import views

# /oidc/ (the redirect URI registered at the provider is /oidc/callback/)
urlpatterns = [
    path("authenticate/", views.SignOnStartView.as_view(), name="sso-start"),
    path("callback/", views.SignOnCallbackView.as_view(), name="sso-callback"),
]

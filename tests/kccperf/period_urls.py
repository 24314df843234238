"""A URLconf with a period in the path, for the period switcher's tests."""

from django.http import HttpResponse
from django.urls import path

from kccperf.page_period import page_quarter
from kccperf.urls import urlpatterns as portal_urlpatterns


def show_period(request, period):
    return HttpResponse(str(page_quarter(request, period)))


urlpatterns = [
    *portal_urlpatterns,
    path("thing/<quarter:period>/detail/", show_period, name="thing-detail"),
]

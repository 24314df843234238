"""The portal's URLs plus a trivial signed-in view, the benchmark's yardstick."""

from django.http import HttpResponse
from django.urls import path

from kccperf.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *portal_urlpatterns]

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path

from kccperf.periods import Quarter


class QuarterConverter:
    """``<quarter:period>`` in a URL: ``2019-20-q2`` <-> ``Quarter(2019, 2)``."""

    regex = r"[0-9]{4}-[0-9]{2}-q[1-4]"

    def to_python(self, value: str) -> Quarter:
        return Quarter.from_slug(value)

    def to_url(self, value: Quarter | str) -> str:
        if isinstance(value, Quarter):
            return value.slug
        return Quarter.parse(value).slug


def period_paths(
    route: str, view: Callable[..., HttpResponse], name: str, *, period_name: str | None = None
) -> list[URLPattern]:
    """A page with and without a period: ``route`` shows the chosen period (see
    ``kccperf.page_period.page_quarter``), ``route<quarter:period>/`` the given one.

    Both get URL name ``name`` unless ``period_name`` names the one with the period.
    """
    return [
        path(route, view, name=name),
        path(f"{route}<quarter:period>/", view, name=period_name or name),
    ]

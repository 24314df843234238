"""The change log (issue 13): analysts and administrators read it and download its CSV."""

from tests.matrix import UrlCase, everyone

ANALYSTS = everyone(403, dan=200, root=200)

CASES = [
    UrlCase("audit:change-log", ANALYSTS),
    UrlCase("audit:change-log", ANALYSTS, query="person=dan&since=2019-01-01", id="filtered"),
    UrlCase("audit:change-log", ANALYSTS, query="_export=csv", id="csv"),
    UrlCase("audit:change-log", everyone(403, dan=405, root=405), method="post", id="post"),
]

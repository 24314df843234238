"""Pages are gzipped (kccperf.compression): at a level made for per-request pages, with
Django's BREACH padding, and only for browsers that accept gzip."""

from __future__ import annotations

import gzip
import zlib

from django.urls import reverse

from kccperf.compression import LEVEL, compress_page


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(client, carol):
    client.force_login(carol)
    response = client.get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    html = gzip.decompress(response.content).decode()
    assert html.lstrip().startswith("<!DOCTYPE html>") and "</html>" in html
    plain = client.get(reverse("home"))
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert len(response.content) < len(plain.content) / 2


def test_the_compressed_size_varies_at_random_and_the_content_does_not():
    """Django's BREACH mitigation: a random-length file name in the gzip header."""
    page = b"<p>Quarter figures</p>" * 500
    compressed = [compress_page(page) for _ in range(30)]
    assert len({len(c) for c in compressed}) > 5
    assert all(gzip.decompress(c) == page for c in compressed)
    assert all(c[3] & gzip.FNAME for c in compressed)


def test_pages_are_compressed_at_the_fast_level():
    page = bytes(range(256)) * 40 + b"<td>Green</td>" * 2000
    body = compress_page(page, max_random_bytes=1)  # no padding: the deflate stream as is
    name_end = body.index(b"\x00", 10) + 1
    assert zlib.decompress(body[name_end:-8], -15) == page
    assert body[name_end:-8] == _raw_deflate(page, LEVEL)
    assert body[name_end:-8] != _raw_deflate(page, 6)


def _raw_deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()

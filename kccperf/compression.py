"""Pages gzipped at a level made for pages built per request.

Django's ``GZipMiddleware`` compresses at zlib level 6 (what suits files compressed once and
served many times). A page is compressed on every request: at ten times the council's size an
outcome dashboard's 350 KB took 6 ms at level 6 and 2.2 ms at level 3 on the 2-core machine
(gzip 19.7 KB against 24.8 KB), the largest part of serving it from the figure cache. Level 3
is in the range web servers use for dynamic pages (nginx's ``gzip_comp_level`` defaults to 1).

Everything else is Django's: which responses are compressed, ``Vary``, weak ETags, streaming
responses, and the BREACH mitigation (a random-length file name in the gzip header, so a
secret in a page cannot be guessed from the response's size; the CSRF token is also masked
afresh on every response).
"""

from __future__ import annotations

import gzip
import secrets

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 3


def compress_page(content: bytes, *, level: int = LEVEL, max_random_bytes: int = 100) -> bytes:
    """``content`` gzipped at ``level``, with Django's random padding (``compress_string``):
    the FNAME flag set and a file name of 0 to ``max_random_bytes - 1`` bytes."""
    compressed = memoryview(gzip.compress(content, compresslevel=level, mtime=0))
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    padding = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    return bytes(header) + padding + compressed[10:]


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's GZipMiddleware, compressing whole (non-streaming) pages at :data:`LEVEL`."""

    def process_response(self, request, response):
        if response.streaming or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        if len(response.content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = compress_page(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

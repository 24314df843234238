"""Issue 12: request bodies limited before they are read; CSP and Permissions-Policy headers."""

from __future__ import annotations

from unittest import mock

import pytest
from django.http.multipartparser import MultiPartParser
from django.urls import reverse

from kccperf import import_files


def test_the_file_limit_and_the_request_limit_share_one_setting(settings):
    assert import_files.MAX_UPLOAD_BYTES == settings.KCCPERF_MAX_UPLOAD_BYTES
    assert settings.KCCPERF_MAX_REQUEST_BYTES == settings.KCCPERF_MAX_UPLOAD_BYTES + 1024 * 1024


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_oversized_body_is_refused_before_it_is_parsed(client, db, settings, signed_in, dan):
    if signed_in:
        client.force_login(dan)
    settings.KCCPERF_MAX_REQUEST_BYTES = 1000
    body = b"--zzz\r\n" + b"x" * 2000 + b"\r\n--zzz--\r\n"
    with mock.patch.object(MultiPartParser, "parse", autospec=True) as parse:
        response = client.generic(
            "POST",
            reverse("load-data") if signed_in else reverse("login"),
            data=body,
            content_type="multipart/form-data; boundary=zzz",
        )
    assert response.status_code == 413
    assert parse.call_count == 0
    assert "larger than the 0 MB this portal accepts" in response.content.decode()


def test_an_oversized_declared_length_is_refused_without_reading_the_body(client, db):
    class Unreadable:
        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("the body was read")

        readline = read

    response = client.generic(
        "POST",
        reverse("login"),
        data=b"x",
        content_type="multipart/form-data; boundary=zzz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "200.0 MB" in response.content.decode()


def test_a_chunked_body_without_a_length_is_refused(client, db):
    response = client.generic(
        "POST",
        reverse("login"),
        data=b"x" * 10,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411


def test_a_body_within_the_limit_is_accepted(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 200


def test_every_response_carries_a_strict_csp_and_a_permissions_policy(client, carol):
    client.force_login(carol)
    for url in (reverse("login"), reverse("home"), reverse("healthz")):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in csp.split("; ") if part.strip()
        )
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in csp
        assert "'unsafe-eval'" not in csp
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        # Styles: the portal's files, and (on pages) the one element carrying the nonce.
        assert directives["style-src"][0] == "'self'"
        assert all(source.startswith("'nonce-") for source in directives["style-src"][1:])
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_the_plotly_style_element_carries_the_responses_nonce(client, carol):
    client.force_login(carol)
    response = client.get(reverse("home"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert (
        f'<style id="plotly.js-style-global" nonce="{nonce}"></style>' in response.content.decode()
    )

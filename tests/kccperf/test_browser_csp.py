"""Issue 12: every page works under the Content-Security-Policy.

Walks the pages each role reaches (the accessibility walk's discovery, the admin site
included) in chromium and fails on any CSP violation: a `securitypolicyviolation` event in the
page or a CSP message on the console. Charts must also be drawn (plotly.js adds its
stylesheet rules under the policy).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.a11y.discovery import discover
from tests.browser_helpers import sign_in
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : ''));
});
"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)


def _pages(username: str, start: tuple[str, ...], limit: int) -> list[str]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return discover(client, start=start, limit=limit)


def _walk(browser, live_server, username: str, pages: list[str]) -> dict[str, list[str]]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(_LISTEN)
    page = context.new_page()
    page.set_default_timeout(20000)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    found: dict[str, list[str]] = {}
    try:
        sign_in(page, username)
        for url in pages:
            console.clear()
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, url
            if page.locator(".chart-plot").count():
                # plotly draws into each chart box as it comes into view (static/js/charts.js);
                # its modebar rules come from the nonce'd <style> element, so a blocked
                # stylesheet would show here.
                page.locator(".chart-plot").first.scroll_into_view_if_needed()
                page.wait_for_selector(".chart-plot .main-svg", state="attached")
            page.wait_for_timeout(50)
            violations = page.evaluate("window.__cspViolations") + list(console)
            if violations:
                found[url] = violations
    finally:
        context.close()
    return found


def test_no_page_of_the_portal_breaks_the_content_security_policy(browser, live_server, demo):
    pages = {
        "analyst": _pages("analyst", ("/",), 200),
        "lead.officer": _pages("lead.officer", ("/",), 60),
        "admin": _pages("admin", ("/admin/",), 60),
    }
    analyst = " ".join(pages["analyst"])
    for must in ("/monitoring/", "/kpis/", "/risks/"):
        assert must in analyst, (must, pages["analyst"])
    assert any("/edit" in url or "return" in url for url in pages["lead.officer"])
    assert any(url.startswith("/admin/") for url in pages["admin"])
    found = {}
    for username, urls in pages.items():
        found.update(_walk(browser, live_server, username, urls))
    assert not found, "\n".join(f"{url}: {v}" for url, vs in found.items() for v in vs)


def test_the_listener_notices_a_violation(page, transactional_db):
    """The walk's canary: an inline style attribute and an inline script are reported."""
    page.context.add_init_script(_LISTEN)
    page.goto("/accounts/login/")
    assert page.evaluate("window.__cspViolations") == []
    page.evaluate(
        """() => {
        document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>');
        const s = document.createElement('script'); s.textContent = 'window.ran = 1';
        document.body.appendChild(s);
    }"""
    )
    page.wait_for_timeout(200)
    violations = page.evaluate("window.__cspViolations")
    assert any(v.startswith("style-src") for v in violations), violations
    assert any(v.startswith("script-src") for v in violations), violations
    assert page.evaluate("window.ran") is None

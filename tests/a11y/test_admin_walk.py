"""The admin site as the demo administrator reaches it: every registered
model's list, add form and first change form, in a real browser, with axe-core: no findings of
any impact (the portal's own pages are walked in test_walk.py)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from tests.browser_helpers import all_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)


def _admin_pages() -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        for name in ("changelist", "add"):
            try:
                pages.append(reverse(f"{base}_{name}"))
            except NoReverseMatch:
                continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{base}_change", args=[first.pk]))
    return pages


def test_every_admin_page_the_administrator_reaches_has_no_axe_findings(page, demo):
    sign_in(page, "admin", next_url="/admin/")
    pages = _admin_pages()
    assert len(pages) > 30
    failures = {}
    checked = 0
    for url in pages:
        response = page.goto(url)
        if response.status == 403 and url.endswith("/add/"):
            continue  # a model nobody adds by hand (e.g. import batches): refused, not shown
        assert response.status == 200, (url, response.status)
        checked += 1
        # static/js/admin.js names the autocomplete boxes a moment after load: wait for it (a
        # box it cannot name makes this time out, so the check stays strict).
        # (A function, not an expression: Playwright evaluates an expression with eval, which
        # the Content-Security-Policy forbids.)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.select2-selection[role=combobox]')]"
            ".every(box => box.hasAttribute('aria-label'))",
            timeout=10000,
        )
        violations = all_violations(page)
        if violations:
            failures[url] = violations
    assert checked > 30
    assert failures == {}

"""Every page each demo role can reach, in a real browser, with axe-core: no findings of any
impact; on a phone (375 px) no page scrolls sideways; every form, submitted with its fields
emptied, announces its errors (title, focused summary, messages tied to their fields).

The pages are found by following links (tests/a11y/discovery.py), so pages added later are
walked too. One browser context per role; axe runs once per page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from tests.a11y.discovery import ADMIN_PREFIX, discover
from tests.browser_helpers import all_violations, sign_in
from tests.factories import PASSWORD

# live_server's flush removes the rows data migrations made; serialized rollback restores them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ["lead.officer", "cmt", "analyst", "risk.manager", "approver", "admin"]
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Django's own administration site is walked by test_admin_walk.py (every model's list, add and
# first change page; templates/admin/base_site.html and static/js/admin.js patch its markup).
EXCLUDED_PREFIXES = (ADMIN_PREFIX,)

# Forms whose error state each role's walk must reach (so a demo that stops opening a window,
# or discovery that stops finding the form, fails here instead of quietly walking less). The
# lead officer's return form is the portal's longest form; the demo keeps Q3 open for returns.
MUST_SHOW_ERRORS = {"lead.officer": {"monitoring:return-edit"}}

# Tables wider than their wrapper must scroll inside a focusable, labelled region.
# A table in a closed <details> (a chart's data) is not shown, so it cannot scroll: kccperf.js
# labels it when it is opened (tests/kccperf/test_browser_scroll_regions.py).
_OVERFLOWING_WRAPPERS_JS = """() =>
  [...document.querySelectorAll('.table-wrapper, .table-container')]
  .filter(w => !w.closest('details:not([open])'))
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .filter(w => !w.querySelector('.table-wrapper, .table-container'))
  .filter(w => w.getAttribute('tabindex') !== '0' || !w.getAttribute('aria-label'))
  .map(w => (w.querySelector('caption') || w).textContent.trim().slice(0, 60))"""

# Error messages and whether something (the field or its fieldset) names them in
# aria-describedby.
_UNREFERENCED_ERRORS_JS = """() => [...document.querySelectorAll('main .error-message')]
  .filter(m => !m.id || !document.querySelector(
      `[aria-describedby~="${CSS.escape(m.id)}"]`))
  .map(m => m.textContent.trim().slice(0, 80))"""

_BLANK_FORM_JS = """(index) => {
  const form = document.querySelectorAll('main form[method="post"][novalidate]')[index];
  for (const el of form.elements) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.type === 'checkbox' || el.type === 'radio') { el.checked = false; continue; }
    if (el.tagName === 'SELECT') {
      const blank = [...el.options].findIndex(o => o.value === '');
      if (blank >= 0) el.selectedIndex = blank;
      for (const o of el.options) if (el.multiple) o.selected = false;
      continue;
    }
    el.value = '';
  }
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)


def _pages_for(username: str) -> list[str]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return discover(client, skip_prefixes=EXCLUDED_PREFIXES)


def _submit_blank(page, url: str, index: int) -> dict | None:
    """Submit form ``index`` of ``url`` with every field emptied; what the error state shows,
    or None when the form was accepted (it moved on)."""
    page.goto(url)
    page.evaluate(_BLANK_FORM_JS, index)
    form = page.locator('main form[method="post"][novalidate]').nth(index)
    with page.expect_navigation():
        # The first button a person sees (a form may hide a default button for Enter).
        form.locator('button[type="submit"]:visible, input[type="submit"]:visible').first.click()
    if not page.locator("[data-error-summary]").count():
        return None
    return {
        "title": page.title(),
        "focused_summary": page.evaluate(
            "document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
        ),
        "unreferenced": page.evaluate(_UNREFERENCED_ERRORS_JS),
        "violations": all_violations(page),
        "fragment": page.evaluate("location.hash"),
        # The return form's task list (sections and statuses) is shown in its error state too.
        "task_list": page.locator("ul.task-list li").count() == 5
        if resolve(urlsplit(page.url).path).view_name == "monitoring:return-edit"
        else None,
    }


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_passes_axe_and_fits_a_phone(
    browser, live_server, demo, artifacts, username
):
    pages = _pages_for(username)
    assert len(pages) >= 5, pages
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, username)
        failures: dict[str, object] = {}
        forms: list[tuple[str, int]] = []
        for url in pages:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            violations = all_violations(page)
            if violations:
                failures[url] = violations
            count = page.locator('main form[method="post"][novalidate]').count()
            forms.extend((url, i) for i in range(count))

        page.set_viewport_size(PHONE)
        # Charts are drawn responsive (to their box's width), so the phone pass skips plotly.js
        # (4.8 MB to parse on every chart page): the walk's slowest part, for nothing.
        context.route("**/plotly.min.js", lambda route: route.abort())
        too_wide: dict[str, object] = {}
        for url in pages:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            unlabelled = page.evaluate(_OVERFLOWING_WRAPPERS_JS)
            if width > PHONE["width"] or unlabelled:
                too_wide[url] = {"scrollWidth": width, "unlabelled scrolling tables": unlabelled}

        context.unroute("**/plotly.min.js")
        page.set_viewport_size(DESKTOP)
        errors: dict[str, object] = {}
        shown = 0
        shown_views: set[str] = set()
        for url, index in forms:
            state = _submit_blank(page, url, index)
            if state is None:
                continue
            shown += 1
            shown_views.add(resolve(url.partition("?")[0]).view_name)
            problems = {
                key: value
                for key, value in {
                    "title": None if state["title"].startswith("Error:") else state["title"],
                    "summary not focused": not state["focused_summary"],
                    "errors not in aria-describedby": state["unreferenced"],
                    "axe": state["violations"],
                    "no task list": state["task_list"] is False,
                }.items()
                if value
            }
            if problems:
                errors[f"{url} form {index}"] = problems
    finally:
        context.close()

    assert failures == {}
    assert too_wide == {}
    assert errors == {}
    if forms:
        assert shown, f"no form of {username}'s showed its error state: {forms}"
    missing = MUST_SHOW_ERRORS.get(username, set()) - shown_views
    assert not missing, f"{username}'s walk did not reach the error state of {missing}: {forms}"


def test_the_pages_for_people_not_signed_in_pass_axe_and_announce_errors(page, transactional_db):
    public = (
        "/accounts/login/?next=/",
        "/accounts/login/?next=/&signed_out=idle",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/MQ/not-a-token/",
        "/accounts/password/reset/done/",
        "/accessibility/",
        "/healthz",
    )
    for url in public:
        page.goto(url)
        assert all_violations(page) == [], url
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        page.set_viewport_size(DESKTOP)
    assert page.title() == "Health check: ok – kccperf"

    page.goto("/accounts/login/?next=/")
    page.get_by_label("Username").fill("nobody")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("main .error-message").count() == 1  # the empty password
    assert page.evaluate(_UNREFERENCED_ERRORS_JS) == []
    assert all_violations(page) == []


def test_the_lockout_and_password_reset_pages_pass_axe_and_fit_a_phone(
    page, transactional_db, settings
):
    """Issue 12: the pages people reach when they cannot sign in."""
    from tests.factories import make_user

    make_user("locked")
    page.goto("/accounts/password/reset/")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the link").click()
    assert page.title().startswith("Error: ")  # no address given
    assert all_violations(page) == []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/?next=/")
        page.get_by_label("Username").fill("locked")
        page.get_by_label("Password").fill("wrong")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Sign-in locked").is_visible()
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert all_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

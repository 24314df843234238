"""In the browser: the character count under a text box, and the "changed since you opened it"
answer when two risk managers edit the same risk. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kccperf.text_limits import limit
from risks.models import Risk
from tests.browser_helpers import serious_violations, sign_in
from tests.risks.factories import make_risk
from tests.risks.test_browser_risks import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient_page(page):
    page.set_default_timeout(30000)


@pytest.fixture
def register(transactional_db):
    """The demo organisation and risk register."""
    from kccperf import demo as organisation_demo
    from risks import demo as risks_demo
    from tests.factories import PASSWORD

    organisation_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)


def test_the_character_count_says_what_is_left_and_when_there_is_too_much(
    page, register, artifacts
):
    risk = Risk.objects.order_by("ref").first()
    signed_in(page, "risk.manager", reverse("risks:risk-edit", kwargs={"ref": risk.ref}))
    box = page.get_by_label("Description")
    maximum = limit(Risk, "description")
    box.fill("x" * 10)
    count = page.locator("#id_description-character-count")
    expect(count).to_have_text(f"You have {maximum - 10:,} characters remaining")
    box.fill("x" * (maximum + 3))
    expect(count).to_have_text("You have 3 characters too many")
    assert "id_description-character-count-hint" in (box.get_attribute("aria-describedby") or "")
    page.screenshot(path=str(artifacts / "i14-character-count.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_contain_text(f"at most {maximum} characters")
    assert serious_violations(page) == []
    risk.refresh_from_db()
    assert len(risk.description) <= maximum


def test_a_stale_risk_edit_shows_the_warning_and_keeps_what_was_typed(
    page, browser, live_server, register, artifacts
):
    risk = make_risk(title="Shared risk")
    url = reverse("risks:risk-edit", kwargs={"ref": risk.ref})
    signed_in(page, "risk.manager", url)
    page.get_by_label("Title").fill("My title, typed before theirs was saved")

    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, "risk.manager", next_url=url)
    other.get_by_label("Title").fill("Their title, saved first")
    other.get_by_role("button", name="Save").click()
    expect(other.get_by_role("heading", name="Shared risk")).not_to_be_visible()
    other.context.close()

    page.get_by_role("button", name="Save").click()
    warning = page.locator("#stale-warning")
    expect(warning).to_contain_text("Someone else changed this risk while you were editing it")
    expect(page.get_by_label("Title")).to_have_value("My title, typed before theirs was saved")
    page.screenshot(path=str(artifacts / "i14-stale-risk-edit.png"), full_page=True)
    assert serious_violations(page) == []
    risk.refresh_from_db()
    assert risk.title == "Their title, saved first"
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#stale-warning")).to_have_count(0)
    risk.refresh_from_db()
    assert risk.title == "My title, typed before theirs was saved"

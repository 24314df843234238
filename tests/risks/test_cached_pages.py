"""The overview, heat maps and a risk's page come from the figure cache: a write is on the
very next request, the reader's flags never leak to another reader, and the overview's
actions by risk are paged (the PDF holds them all)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from risks.models import Risk, RiskRefreshEntry
from risks.services import register_version
from tests.kccperf.test_figure_cache import _served_from_cache, html
from tests.kccperf.test_stale_saves import form_data
from tests.risks.factories import make_action, make_entry, make_refresh, make_risk, make_update
from tests.risks.html import tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    """Two risks at the Q2 2019/20 refresh (the previous one Q1), an action with an update."""
    risks = [make_risk(title="Cyber attack"), make_risk(title="Flooding of the depots")]
    q1 = make_refresh("2019-06-30", label="Q1 2019/20")
    q2 = make_refresh("2019-09-30", label="Q2 2019/20")
    for refresh in (q1, q2):
        for risk in risks:
            make_entry(refresh, risk)
    action = make_action(risks[0], description="Patch the servers")
    make_update(action, on="2019-08-01", text="Half the servers patched.")
    return {"risks": risks, "refresh": q2, "action": action}


def _overview(register) -> str:
    return reverse("risks:overview-refresh", args=[register["refresh"].pk])


def _heatmap() -> str:
    return reverse("risks:heatmap-period", kwargs={"period": "2019-20-q2"})


def _detail(register) -> str:
    return reverse("risks:risk-detail", args=[register["risks"][0].ref])


def _pages(register) -> list[str]:
    return [_overview(register), _heatmap(), _detail(register)]


def test_each_page_is_served_from_the_cache_when_read_again(client, erin, register):
    client.force_login(erin)
    for url in _pages(register):
        assert not _served_from_cache(client, url), url
        assert _served_from_cache(client, url), url


def test_a_risk_edited_is_on_the_next_overview_heat_map_and_risk_page(client, erin, register):
    client.force_login(erin)
    for url in _pages(register):
        assert "Cyber attack" in html(client, url)
    risk = register["risks"][0]
    edit = reverse("risks:risk-edit", args=[risk.ref])
    data = form_data(html(client, edit))
    data["title"] = ["Ransomware attack"]
    assert client.post(edit, data).status_code == 302
    for url in _pages(register)[:2]:
        page = html(client, url)
        assert "Ransomware attack" in page and "Cyber attack" not in page, url
    # The risk's page: its heading (its history says what the title was).
    heading = tree(client.get(_detail(register))).xpath("//h1")[0].text_content()
    assert "Ransomware attack" in heading and "Cyber attack" not in heading


def test_an_action_update_is_on_the_next_overview_and_risk_page(client, erin, register):
    client.force_login(erin)
    for url in (_overview(register), _detail(register)):
        assert "Half the servers patched." in html(client, url)
        assert "All the servers patched." not in html(client, url)
    url = reverse("risks:action-update", args=[register["action"].pk])
    data = form_data(html(client, url))
    data.update({"date": ["15/09/2019"], "text": ["All the servers patched."]})
    assert client.post(url, data).status_code == 302
    for url in (_overview(register), _detail(register)):
        assert "All the servers patched." in html(client, url), url


def test_a_recorded_refresh_is_on_the_next_risk_page_and_heat_map(client, erin, register):
    risk = register["risks"][0]
    client.force_login(erin)
    q3_heatmap = reverse("risks:heatmap-period", kwargs={"period": "2019-20-q3"})
    assert tree(client.get(q3_heatmap)).xpath(
        f'//table[@id="heatmap-current"]//td[.//a[text()="{risk.ref}"]]/@data-l'
    ) == ["3"]
    assert html(client, _detail(register)).count('id="current-score">12<') == 1
    data = {
        "date": "31/12/2019",
        "label": "Q3 2019/20",
        "version": str(register_version()),
        "changing": risk.ref,
        f"{risk.ref}-current_likelihood": "5",
        f"{risk.ref}-current_impact": "4",
        f"{risk.ref}-target_likelihood": "2",
        f"{risk.ref}-target_impact": "3",
        f"{risk.ref}-reason": "Threat level raised",
    }
    assert client.post(reverse("risks:refresh-record"), data).status_code == 302
    assert 'id="current-score">20<' in html(client, _detail(register))
    assert tree(client.get(q3_heatmap)).xpath(
        f'//table[@id="heatmap-current"]//td[.//a[text()="{risk.ref}"]]/@data-l'
    ) == ["5"]


def test_a_refresh_entry_updated_in_bulk_moves_the_risk_on_the_next_heat_map(
    client, erin, register
):
    risk = register["risks"][0]
    client.force_login(erin)
    cell = f'//table[@id="heatmap-current"]//td[.//a[text()="{risk.ref}"]]/@data-i'
    assert tree(client.get(_heatmap())).xpath(cell) == ["4"]
    RiskRefreshEntry.objects.filter(refresh=register["refresh"], risk=risk).update(
        current_impact=1, current_score=3
    )
    assert tree(client.get(_heatmap())).xpath(cell) == ["1"]


@pytest.mark.parametrize("first", ["erin", "carol"])
def test_the_readers_flags_do_not_leak_to_another_reader(client, erin, carol, register, first):
    """erin (risk manager) may edit and download; carol (CMT) only reads. Whoever reads
    first, the other sees their own links."""
    order = [erin, carol] if first == "erin" else [carol, erin]
    seen = {}
    for user in order:
        client.force_login(user)
        seen[user.username] = {url: html(client, url) for url in _pages(register)}
    erin_pages, carol_pages = seen["erin"], seen["carol"]
    assert "Download the overview as PDF" in erin_pages[_overview(register)]
    assert "Download the overview as PDF" not in carol_pages[_overview(register)]
    assert "Edit details" in erin_pages[_detail(register)]
    assert "Add an update" in erin_pages[_detail(register)]
    assert "Edit details" not in carol_pages[_detail(register)]
    assert "Add an update" not in carol_pages[_detail(register)]
    assert "Record a refresh with new scores" in erin_pages[_detail(register)]
    assert "Record a refresh with new scores" not in carol_pages[_detail(register)]


def _many_risks_with_actions(n: int):
    refresh = make_refresh("2019-09-30", label="Q2 2019/20")
    risks = [make_risk(title=f"Numbered risk {i:03d}") for i in range(n)]
    for risk in risks:
        make_entry(refresh, risk)
        make_action(risk, description=f"Action of {risk.title}")
    return refresh, risks


def test_the_overview_shows_the_actions_by_risk_fifty_risks_a_page(client, carol):
    from risks.views import OVERVIEW_PAGE_RISKS

    refresh, risks = _many_risks_with_actions(OVERVIEW_PAGE_RISKS + 7)
    client.force_login(carol)
    url = reverse("risks:overview-refresh", args=[refresh.pk])
    first = tree(client.get(url))
    assert len(first.xpath('//div[@class="risk-actions"]')) == OVERVIEW_PAGE_RISKS
    # The counts above the list still cover every risk.
    total = first.xpath('//table[@id="level-counts"]/tfoot//td[1]/text()')
    assert total == [str(len(risks))]
    second = tree(client.get(url + "?page=2"))
    titles = second.xpath('//div[@class="risk-actions"]/h4/a/text()')
    assert titles == [risk.ref for risk in risks[OVERVIEW_PAGE_RISKS:]]
    pages = second.xpath('//nav[@aria-label="Pages of actions by risk"]//a/@href')
    assert "?page=1#actions-by-risk-title" in pages


def test_the_overview_pdf_holds_every_risks_actions(client, erin, monkeypatch):
    from risks import views

    refresh, risks = _many_risks_with_actions(views.OVERVIEW_PAGE_RISKS + 7)
    printed = {}

    def fake_pdf(request, template, context, name):
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        printed["html"] = render_to_string(template, context, request=request)
        return HttpResponse(b"%PDF", content_type="application/pdf")

    monkeypatch.setattr(views, "page_pdf", fake_pdf)
    client.force_login(erin)
    url = reverse("risks:overview-refresh", args=[refresh.pk])
    client.get(url)  # the paged content is cached: the PDF must not use it
    assert client.get(url + "?_export=pdf&page=1").status_code == 200
    doc = tree_of(printed["html"])
    assert len(doc.xpath('//div[@class="risk-actions"]')) == len(risks)
    assert not doc.xpath('//nav[@aria-label="Pages of actions by risk"]')


def tree_of(text: str):
    from lxml import html as lxml_html

    return lxml_html.fromstring(text)


def test_a_removed_risk_is_on_the_next_heat_map_of_the_live_register(client, erin):
    """With no refresh on record the heat maps show the register as it is now."""
    risk = make_risk(title="Cyber attack")
    client.force_login(erin)
    url = reverse("risks:heatmap")
    assert risk.ref in html(client, url)
    Risk.objects.filter(pk=risk.pk).update(
        status=Risk.Status.REMOVED, removed_on=date(2019, 9, 1), removal_reason="Gone"
    )
    assert risk.ref not in html(client, url)


def test_a_risks_page_runs_as_many_queries_however_long_its_history(client, erin):
    from tests.risks.test_query_counts import count

    risk = make_risk()
    url = reverse("risks:risk-detail", args=[risk.ref])

    def grow(refreshes: int, actions: int, offset: int) -> None:
        for n in range(refreshes):
            make_entry(make_refresh(date(2015 + offset + n, 3, 31).isoformat()), risk)
        for _ in range(actions):
            action = make_action(risk)
            for day in ("2019-07-01", "2019-08-01"):
                make_update(action, on=day)

    client.force_login(erin)
    grow(refreshes=1, actions=1, offset=0)
    small = count(client, url)  # built: the data changed since any earlier read
    grow(refreshes=6, actions=5, offset=1)
    assert count(client, url) == small

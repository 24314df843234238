"""Analysts write each directorate's commentary for a quarter."""

from __future__ import annotations

from django.urls import reverse

from kccperf.periods import Quarter
from kpis.models import DirectorateCommentary
from tests.factories import make_directorate
from tests.kpis.factories import make_commentary
from tests.kpis.pages import text

Q2 = Quarter(2019, 2)


def test_an_analyst_writes_the_commentary_and_sees_it_on_the_scorecard(analyst_client, dan):
    directorate = make_directorate(slug="north")
    url = reverse("kpis:commentary-edit", kwargs={"slug": "north", "period": Q2})
    response = analyst_client.post(url, {"text": "  First paragraph.\n\nSecond.  ", "version": "0"})
    page_url = reverse("kpis:directorate", kwargs={"slug": "north", "period": Q2})
    assert response.status_code == 302 and response["Location"] == page_url
    commentary = DirectorateCommentary.objects.get(directorate=directorate)
    assert commentary.text == "First paragraph.\n\nSecond." and commentary.written_by == dan
    html = analyst_client.get(page_url).content.decode()
    assert "<p>First paragraph.</p>" in html and "Edit the commentary" in html


def test_rewriting_replaces_the_text_for_that_quarter_only(analyst_client):
    directorate = make_directorate(slug="north")
    make_commentary(directorate, "Q1 2019/20", text="Q1 text")
    make_commentary(directorate, "Q2 2019/20", text="Old Q2 text")
    url = reverse("kpis:commentary-edit", kwargs={"slug": "north", "period": Q2})
    assert "Old Q2 text" in analyst_client.get(url).content.decode()
    analyst_client.post(url, {"text": "New Q2 text", "version": "0"})
    texts = dict(DirectorateCommentary.objects.values_list("period__label", "text"))
    assert texts == {"Q1 2019/20": "Q1 text", "Q2 2019/20": "New Q2 text"}


def test_empty_commentary_is_rejected_with_a_message_linked_to_the_field(analyst_client):
    make_directorate(slug="north")
    url = reverse("kpis:commentary-edit", kwargs={"slug": "north", "period": Q2})
    response = analyst_client.post(url, {"text": "   "})
    assert response.status_code == 400
    page = text(response.content.decode())
    assert "There is a problem" in page and "Commentary: Enter the commentary" in page
    assert 'href="#id_text"' in response.content.decode()
    assert not DirectorateCommentary.objects.exists()


def test_cmt_members_do_not_see_the_edit_link(cmt_client):
    make_directorate(slug="north")
    url = reverse("kpis:directorate", kwargs={"slug": "north", "period": Q2})
    assert "the commentary" not in cmt_client.get(url).content.decode()

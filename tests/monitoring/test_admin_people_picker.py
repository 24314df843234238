"""Issue 12: analysts assign lead officers and delegates in the admin; the people picker
answers them and offers only active people who are not superusers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kccperf.models import User
from tests.factories import make_user


def _picker(client, term: str = ""):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "monitoring",
            "model_name": "activity",
            "field_name": "lead_officer",
            "term": term,
        },
    )


@pytest.fixture
def analyst(dan):
    dan.is_staff = True  # analysts use the admin (README "Roles and demo logins")
    dan.save()
    return dan


def test_the_picker_answers_analysts_with_active_non_superusers(client, cast, analyst):
    make_user("leaver", is_active=False)
    client.force_login(analyst)
    response = _picker(client)
    assert response.status_code == 200
    names = {item["text"] for item in response.json()["results"]}
    ids = {int(item["id"]) for item in response.json()["results"]}
    expected = set(
        User.objects.filter(is_active=True, is_superuser=False).values_list("pk", flat=True)
    )
    assert ids == expected
    assert cast["root"].pk not in ids
    assert User.objects.get(username="leaver").pk not in ids
    assert "Alice Tester" in names


def test_the_picker_searches_by_name(client, cast, analyst):
    client.force_login(analyst)
    response = _picker(client, "alice")
    assert [item["text"] for item in response.json()["results"]] == ["Alice Tester"]


def test_the_picker_is_refused_to_staff_who_cannot_assign(client, cast):
    carol = cast["carol"]
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    assert _picker(client).status_code == 403


def test_analysts_still_cannot_open_the_user_list(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("admin:kccperf_user_changelist")).status_code == 403


def test_the_activity_form_refuses_a_superuser_as_lead_officer(client, cast, analyst):
    from tests.monitoring.factories import make_activity

    activity = make_activity(lead_officer=cast["alice"])
    client.force_login(analyst)
    page = client.get(reverse("admin:monitoring_activity_change", args=[activity.pk]))
    assert page.status_code == 200
    delegates = page.context["adminform"].form.fields["delegates"].queryset
    assert cast["root"] not in delegates
    lead = page.context["adminform"].form.fields["lead_officer"].queryset
    assert cast["root"] not in lead
    assert cast["alice"] in lead

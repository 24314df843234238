"""Every free text has a limit (kccperf/text_limits.py), enforced on forms, imports and the
admin, and shown as a character count."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from kccperf.text_limits import CharacterCountTextarea, limit
from tests.factories import make_directorate


def test_every_text_field_of_the_project_has_a_limit():
    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ("kccperf", "kpis", "monitoring", "reports", "risks")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert not unlimited


def test_the_widget_shows_a_count_instead_of_cutting_pasted_text():
    from django import forms

    class Form(forms.Form):
        text = forms.CharField(max_length=40, widget=CharacterCountTextarea)

    html = str(Form()["text"])
    assert 'data-maxlength="40"' in html and 'data-module="character-count"' in html
    assert " maxlength=" not in html


@pytest.mark.django_db
def test_a_too_long_commentary_is_refused_by_the_form_with_the_limit(client, cast):
    from kpis.models import DirectorateCommentary

    make_directorate(slug="north")
    client.force_login(cast["dan"])
    url = reverse("kpis:commentary-edit", kwargs={"slug": "north", "period": "2019-20-q2"})
    page = client.get(url).content.decode()
    maximum = limit(DirectorateCommentary, "text")
    assert f'data-maxlength="{maximum}"' in page
    assert "js/character-count.js" in page
    response = client.post(url, {"text": "x" * (maximum + 1)})
    assert response.status_code == 400
    assert (
        f"Ensure this value has at most {maximum:,}".replace(",", "") in response.content.decode()
    )
    assert not DirectorateCommentary.objects.exists()


@pytest.mark.django_db
def test_a_too_long_return_text_in_an_import_names_row_and_column():
    from monitoring.imports import ReturnsImporter
    from monitoring.models import Return

    maximum = limit(Return, "progress")
    importer = ReturnsImporter()
    header = ",".join(column.name for column in importer.columns)
    example = [column.example for column in importer.columns]
    example[[c.name for c in importer.columns].index("progress")] = "p" * (maximum + 5)
    content = (header + "\n" + ",".join(f'"{cell}"' for cell in example) + "\n").encode()
    plan = importer.plan(content, "returns.csv")
    expected = (
        f'Row 2, column "progress": is {maximum + 5:,} characters long; '
        f"it can be at most {maximum:,}"
    )
    assert expected in [str(error) for error in plan.errors]


@pytest.mark.django_db
def test_the_admin_refuses_a_too_long_risk_description(client, cast):
    from risks.models import Risk
    from tests.risks.factories import make_risk

    risk = make_risk()
    client.force_login(cast["root"])
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["description"] = "d" * (limit(Risk, "description") + 1)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    risk.refresh_from_db()
    assert len(risk.description) < limit(Risk, "description")

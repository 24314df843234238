"""A small importer over Outcome rows, to test the shared import machinery."""

from django.urls import path  # noqa: F401

from kccperf.import_views import import_urls
from kccperf.imports import Column, Importer, ParsedRow
from kccperf.models import Outcome
from kccperf.urls import urlpatterns as portal_urlpatterns


class OutcomeImporter(Importer):
    kind = "outcomes"
    title = "strategic outcomes"
    columns = [
        Column("number", help="Outcome number", example="1"),
        Column("title", help="Outcome title", example="Children and young people..."),
        Column("since", required=False, help="Quarter it was adopted", example="Q1 2019/20"),
    ]

    def parse_row(self, row):
        number = row.integer("number", minimum=1, maximum=9)
        title = row.text("title", max_length=250)
        row.quarter("since", required=False)
        if row.has_errors:
            return None
        return ParsedRow(row.number, key=number, values={"title": title})

    def existing(self, parsed):
        keys = [row.key for row in parsed]
        return {o.number: {"title": o.title} for o in Outcome.objects.filter(number__in=keys)}

    def apply(self, plan, user):
        Outcome.objects.bulk_create(
            [Outcome(number=row.key, title=row.values["title"]) for row in plan.new]
        )
        for change in plan.changed:
            Outcome.objects.filter(number=change.row.key).update(**change.row.values)


urlpatterns = [*portal_urlpatterns, *import_urls(OutcomeImporter, name="import-outcomes")]

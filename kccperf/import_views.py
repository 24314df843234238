"""Upload -> preview -> confirm pages for any :class:`kccperf.imports.Importer`.

Wire them into an app's urls.py with ``*import_urls(ResultsImporter, name="import-results")``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kccperf.import_files import MAX_UPLOAD_BYTES
from kccperf.imports import Importer
from kccperf.models import ImportBatch
from kccperf.navigation import Crumb, breadcrumbs
from kccperf.output.csv import csv_download
from kccperf.output.xlsx import xlsx_response

PREVIEW_LIMIT = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A .csv or .xlsx file with the columns below; row 1 holds the column names.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a .csv or .xlsx file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB")
        return upload


def _names(request, name: str) -> dict[str, str]:
    namespace = request.resolver_match.namespace
    prefix = f"{namespace}:" if namespace else ""
    return {
        "upload": f"{prefix}{name}",
        "confirm": f"{prefix}{name}-confirm",
        "template": f"{prefix}{name}-template",
    }


def _breadcrumbs(importer: Importer) -> list[dict[str, str | None]]:
    parent: list[Crumb] = []
    if importer.parent:
        label, url_name = importer.parent
        parent.append((label, reverse(url_name)))
    return breadcrumbs(("Load data", reverse("load-data")), *parent, f"Import {importer.title}")


def _context(request, importer: Importer, name: str, **extra) -> dict:
    names = _names(request, name)
    return {
        "importer": importer,
        "upload_url": reverse(names["upload"]),
        "template_csv_url": reverse(names["template"], kwargs={"fmt": "csv"}),
        "template_xlsx_url": reverse(names["template"], kwargs={"fmt": "xlsx"}),
        "confirm_url_name": names["confirm"],
        "breadcrumbs": _breadcrumbs(importer),
        "preview_limit": PREVIEW_LIMIT,
        **extra,
    }


def import_urls(importer_class: type[Importer], *, name: str, prefix: str | None = None) -> list:
    prefix = prefix if prefix is not None else f"import/{importer_class.kind}/"

    def upload(request):
        importer = importer_class()
        importer.check_permission(request.user)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload_file = form.cleaned_data["file"]
            content = upload_file.read()
            plan = importer.plan(content, upload_file.name)
            batch = ImportBatch.objects.create(
                kind=importer.kind,
                filename=upload_file.name,
                # A refused file is not kept (only its name and what was wrong with it): a
                # hostile upload takes no room in the database.
                content=content if plan.ok else b"",
                uploaded_by=request.user,
                status=ImportBatch.Status.PENDING if plan.ok else ImportBatch.Status.REJECTED,
                summary=plan.summary(),
            )
            context = _context(request, importer, name, form=UploadForm(), plan=plan, batch=batch)
            return render(request, "imports/preview.html", context, status=200 if plan.ok else 422)
        return render(request, "imports/upload.html", _context(request, importer, name, form=form))

    @require_POST
    def confirm(request, batch_id: int):
        importer = importer_class()
        importer.check_permission(request.user)
        with transaction.atomic():
            # Locked: of two confirms of one file at once, the second waits here and then
            # finds the file imported instead of importing it again.
            batch = get_object_or_404(
                ImportBatch.objects.select_for_update(),
                pk=batch_id,
                kind=importer.kind,
                uploaded_by=request.user,
            )
            if batch.status != ImportBatch.Status.PENDING:
                return _not_pending(request, batch, _names(request, name)["upload"])
            # Checked again: the data may have changed since the preview.
            plan = importer.run(bytes(batch.content), batch.filename, request.user)
            batch.summary = plan.summary()
            if not plan.ok:
                batch.status = ImportBatch.Status.REJECTED
                batch.save(update_fields=["status", "summary"])
            else:
                batch.status = ImportBatch.Status.APPLIED
                batch.applied_at = timezone.now()
                batch.save(update_fields=["status", "summary", "applied_at"])
        if not plan.ok:
            context = _context(request, importer, name, form=UploadForm(), plan=plan, batch=batch)
            return render(request, "imports/preview.html", context, status=422)
        messages.success(
            request,
            f"Imported {batch.filename}: {len(plan.new)} new, {len(plan.changed)} changed, "
            f"{len(plan.unchanged)} unchanged rows.",
        )
        return redirect(_names(request, name)["upload"])

    def template(request, fmt: str):
        importer = importer_class()
        importer.check_permission(request.user)
        filename = f"{importer.kind}-template.{fmt}"
        if fmt == "csv":
            return csv_download(importer.template_csv(), filename)
        if fmt == "xlsx":
            return xlsx_response(importer.template_xlsx(), filename)
        raise Http404("Templates are .csv or .xlsx")

    upload.importer_class = importer_class  # type: ignore[attr-defined]  # read by the "Load data" page
    return [
        path(prefix, upload, name=name),
        path(f"{prefix}<int:batch_id>/confirm/", confirm, name=f"{name}-confirm"),
        path(f"{prefix}template.<str:fmt>", template, name=f"{name}-template"),
    ]


def _not_pending(request, batch: ImportBatch, upload_url: str) -> HttpResponse:
    """A confirm of a file already imported (twice at once, or sent again) or refused."""
    if batch.status == ImportBatch.Status.APPLIED:
        when = timezone.localtime(batch.applied_at) if batch.applied_at else None
        at = f" at {when:%H:%M on %d/%m/%Y}" if when else ""
        messages.info(request, f"{batch.filename} was already imported{at}: nothing more to do.")
    else:
        messages.error(request, f"{batch.filename} was not imported: upload the corrected file.")
    return redirect(upload_url)


def registered_importers() -> list[tuple[type[Importer], str]]:
    """Every importer wired with import_urls: (class, namespaced URL name of its upload page)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner)
            elif isinstance(entry, URLPattern):
                importer_class = getattr(entry.callback, "importer_class", None)
                if importer_class is not None:
                    found.append((importer_class, f"{namespace}{entry.name}"))

    walk(get_resolver(), "")
    return found


def load_data(request):
    """The analysts' (and risk managers') starting point for every data upload."""
    entries: list[dict[str, Any]] = []
    for importer_class, url_name in registered_importers():
        importer = importer_class()
        if request.user.has_perm(importer.permission):
            entries.append({"importer": importer, "url": reverse(url_name)})
    if not entries:
        raise PermissionDenied
    entries.sort(key=lambda entry: entry["importer"].title.lower())
    return render(
        request,
        "imports/index.html",
        {
            "entries": entries,
            "breadcrumbs": breadcrumbs("Load data"),
        },
    )

"""Run an :class:`kccperf.imports.Importer` from a management command."""

from __future__ import annotations

from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from kccperf.imports import Importer
from kccperf.models import User


class ImportCommand(BaseCommand):
    """Set ``importer_class``; usage: ``manage.py <command> FILE [--dry-run] [--user U]``."""

    importer_class: type[Importer]

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing"
        )
        parser.add_argument("--user", default=None, help="Username recorded as the importer")

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        by = None
        if user:
            try:
                by = User.objects.get(username=user)
            except User.DoesNotExist:
                raise CommandError(f"No user {user!r}") from None
            # The change log names the person recorded as the importer (the command's entry).
            pghistory.context(user=by.pk, username=by.username, file=path.name)
        importer = self.importer_class()
        plan = importer.run(path.read_bytes(), path.name, by, dry_run=dry_run)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(plan.errors)} error(s); nothing was imported")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name}: {len(plan.new)} new, {len(plan.changed)} changed, "
            f"{len(plan.unchanged)} unchanged rows."
        )

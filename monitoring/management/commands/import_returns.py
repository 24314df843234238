"""manage.py import_returns FILE [--dry-run] [--user U]: historic SDP returns (CSV/XLSX)."""

from kccperf.import_commands import ImportCommand
from monitoring.imports import ReturnsImporter


class Command(ImportCommand):
    help = (
        "Import historic SDP returns from a .csv or .xlsx file (format: README, "
        "'SDP returns import format'). Nothing is written unless every row is valid."
    )
    importer_class = ReturnsImporter

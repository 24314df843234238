"""`manage.py import_kpi_targets FILE [--dry-run] [--user USERNAME]`: the upload
page's checks and writes from the command line (see README, "KPI data import format")."""

from kccperf.import_commands import ImportCommand
from kpis.imports import KpiTargetsImporter


class Command(ImportCommand):
    help = (
        "Import KPI targets and floor standards from a .csv or .xlsx file; "
        "nothing is written unless every row is valid."
    )
    importer_class = KpiTargetsImporter

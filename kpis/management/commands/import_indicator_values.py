"""`manage.py import_indicator_values FILE [--dry-run] [--user USERNAME]`: the upload
page's checks and writes from the command line (see README, "KPI data import format")."""

from kccperf.import_commands import ImportCommand
from kpis.imports import IndicatorValuesImporter


class Command(ImportCommand):
    help = (
        "Import activity indicator values and thresholds from a .csv or .xlsx file; "
        "nothing is written unless every row is valid."
    )
    importer_class = IndicatorValuesImporter

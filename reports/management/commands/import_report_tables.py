from kccperf.import_commands import ImportCommand
from reports.imports import ReportTableImporter


class Command(ImportCommand):
    help = "Import QPR supporting tables from a CSV or XLSX file (one row per cell)."
    importer_class = ReportTableImporter

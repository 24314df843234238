from kccperf.import_commands import ImportCommand
from risks.imports import RiskRegisterImporter


class Command(ImportCommand):
    help = "Import the corporate risk register from a .csv or .xlsx file (all or nothing)."
    importer_class = RiskRegisterImporter

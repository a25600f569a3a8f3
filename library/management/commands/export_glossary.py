from pathlib import Path

from django.core.management.base import BaseCommand

from core.csv_export import csv_rows
from library.services.glossary import GLOSSARY_COLUMNS, glossary_export_rows


class Command(BaseCommand):
    help = "Write the glossary as CSV (one row per concept, formula-safe) to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write (stdout when absent)")

    def handle(self, *args, file: str | None = None, **options):
        lines = csv_rows(GLOSSARY_COLUMNS, glossary_export_rows())
        if file:
            with Path(file).open("w", encoding="utf-8", newline="") as out:
                out.writelines(lines)
        else:
            for line in lines:
                self.stdout.write(line, ending="")

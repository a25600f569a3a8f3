import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from library.services.glossary import (
    GlossaryFileError,
    glossary_file_size_check,
    glossary_import,
)


class Command(BaseCommand):
    help = (
        "Import a glossary CSV (one row per concept, columns per language; see "
        "library/services/glossary.py). Every row is written or, if any is bad, none; "
        "prints the counts and each bad row's line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, file: str, json: bool = False, **options):
        try:
            glossary_file_size_check(Path(file).stat().st_size)
            data = Path(file).read_bytes()
            result = glossary_import(actor=None, data=data)
        except (OSError, GlossaryFileError) as error:
            self.stderr.write(f"import_glossary: {error}")
            sys.exit(2)
        summary = result.as_dict()
        if json:
            self.stdout.write(_json(summary))
        else:
            self.stdout.write(
                "{created} created, {updated} updated, {unchanged} unchanged".format(**summary)
            )
            for error in result.errors:
                self.stdout.write(f"{error['where']}: {error['reason']}")
        if result.errors:
            sys.exit(1)


def _json(summary: dict) -> str:
    errors = [{"where": e["where"], "reason": e["reason"]} for e in summary["errors"]]
    return json.dumps({**summary, "errors": errors}, ensure_ascii=False)

"""python manage.py import_publications <file> [--format csv|ris|bibtex] [--json]"""

import json
import sys

from django.core.management.base import BaseCommand

from library.services.publications_import import (
    FORMATS,
    ImportUnreadable,
    format_for,
    publications_import,
    read_text,
)


class Command(BaseCommand):
    help = (
        "Import publications from a CSV, RIS or BibTeX file; match existing ones by DOI, "
        "then normalised title; published at once (staff vouch for the file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, default=None)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
            text = read_text(raw)
            report = publications_import(text=text, fmt=format_for(path, options["format"]))
        except (OSError, ImportUnreadable) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            sys.stderr.write(f"import_publications: cannot read {path}: {reason}\n")
            sys.exit(2)
        result = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"created {result['created']}, updated {result['updated']}, "
            f"skipped {result['skipped']}, errors {len(result['errors'])}"
        )
        for error in result["errors"]:
            self.stdout.write(f"  {error['where']}: {error['reason']}")

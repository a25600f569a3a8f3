"""The library's import files as tests write them, and the import command's report."""

import csv
import io
import json
from pathlib import Path

from django.core.management import call_command

from library.services.glossary import GLOSSARY_COLUMNS


def glossary_csv(*rows: dict, columns: list[str] = GLOSSARY_COLUMNS) -> bytes:
    """A glossary CSV with these rows (cells not given are empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def import_publications(path: Path, *args: str) -> dict:
    """`import_publications PATH --json ARGS`: the report it prints."""
    out = io.StringIO()
    call_command("import_publications", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())

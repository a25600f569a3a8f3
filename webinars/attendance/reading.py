"""From uploaded bytes to numbered rows of cells, refusing what is not a text report.

Exports arrive as UTF-8 (with or without a byte-order mark), UTF-16 with a BOM (Teams),
or a Windows code page; comma- or tab-separated. Anything else — empty, a PDF or a
spreadsheet renamed `.csv`, a file cut off inside a quoted field — is refused here with
a message that says what to do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 30 * 1024 * 1024


class ReportError(ValueError):
    """The file as a whole cannot be imported; `message` says why, for a person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True, slots=True)
class Line:
    """One CSV record: the file line it starts on and its cells (as written)."""

    number: int
    cells: list[str]

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)

    def first(self) -> str:
        return self.cells[0].strip() if self.cells else ""

    def get(self, index: int | None) -> str:
        """The cell at `index`, stripped; "" when absent (a short row) or not asked for."""
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()


_MAGIC = (
    (b"%PDF", _("This is a PDF document, not a report export. Download the report as CSV.")),
    (
        b"PK\x03\x04",
        _(
            "This is an Excel workbook or another zipped file. Save the report as CSV "
            "and upload that."
        ),
    ),
    (
        b"\xd0\xcf\x11\xe0",
        _("This is an old Excel or Word file. Save the report as CSV and upload that."),
    ),
    (b"\x89PNG", _("This is an image, not a report export.")),
    (b"\xff\xd8\xff", _("This is an image, not a report export.")),
)


def decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ReportError(_("The file is larger than 30 MB; no attendance report is that big."))
    if not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReportError(_("The file is empty."))
    for magic, message in _MAGIC:
        if content.startswith(magic):
            raise ReportError(message)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif content.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif b"\x00" in content[:4000]:
        head = content[:4000]
        if head[1::2].count(0) > len(head) // 4:
            encoding = "utf-16-le"
        elif head[0::2].count(0) > len(head) // 4:
            encoding = "utf-16-be"
        else:
            raise ReportError(_("This is not a text file, so it cannot be a CSV report."))
    else:
        encoding = "utf-8"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        if encoding.startswith("utf-16"):
            raise ReportError(_("The file says it is UTF-16 text but cannot be read as such."))
        text = content.decode("cp1252", errors="replace")
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if "\x00" in sample or controls > max(5, len(sample) // 100):
        raise ReportError(_("This is not a text file, so it cannot be a CSV report."))


def _delimiter(text: str) -> str:
    """Tab (Teams), comma, or semicolon (a report re-saved by a French or Spanish Excel)."""
    head = text[:20_000].splitlines()[:40]
    counts = {sep: sum(line.count(sep) for line in head) for sep in ("\t", ",", ";")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def read_lines(text: str) -> list[Line]:
    """Every record of the file with the line it starts on; quoted fields may span lines.

    Read strictly first, so that a file cut off inside a quoted value is caught; a stray
    quote elsewhere (`"Ama "AJ" Mensah"`) is then read leniently, as spreadsheets do.
    """
    try:
        return _records(text, strict=True)
    except csv.Error as error:
        if "end of data" not in str(error):
            return _records(text, strict=False)
        raise ReportError(
            _(
                "The file ends in the middle of a quoted value: it seems cut short. "
                "Download the report again."
            )
        )


def _records(text: str, *, strict: bool) -> list[Line]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=strict)
    lines: list[Line] = []
    start = 1
    for cells in reader:
        lines.append(Line(start, cells))
        start = reader.line_num + 1
    return lines


def read_file(content: bytes) -> list[Line]:
    return read_lines(decode(content))

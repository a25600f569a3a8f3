"""Publication files: accepted by what their bytes say (not their names), stored through
Django's storage API (var/media by default; S3-compatible storage by the STORAGES
setting), then read by the worker: text for search, a cover from page 1.

PDF: text and cover with pypdfium2. Word, PowerPoint and OpenDocument text files: text
from their XML (no cover). Excel and legacy binary Office files (.doc, .xls, .ppt) are
stored and downloadable, with no text extracted. A file that cannot be read (encrypted,
broken, not what it claims) is stored and flagged, never an error page or a crashed task.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from library.models import Publication, PublicationSearchDocument

HEAD_BYTES = 8
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# kind → (extension, content type)
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "odp": ("odp", "application/vnd.oasis.opendocument.presentation"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "ole2": ("doc", "application/msword"),
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
TEXT_LIMIT = 400_000
COVER_WIDTH = 300


def max_bytes() -> int:
    return settings.LIBRARY_FILE_MAX_BYTES


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    kind: str
    size: int


def _zip_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("ppt/") for n in names):
                    return "pptx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def file_kind_of(upload: UploadedFile) -> str | None:
    """What the file is, from its content: pdf, docx, pptx, xlsx, odt, odp, ods, ole2
    (a legacy Office file), or None."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" in head:  # the header may follow up to 1 KB of anything
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head.startswith(OLE2):
        return "ole2"
    return None


def publication_file_check(upload: UploadedFile) -> CheckedFile:
    """Refuse what is too large or not a PDF or Office file by content. (The request's
    upload handler already stopped a body larger than the cap before it was read whole;
    this is the check for uploads that arrive some other way.)"""
    name = os.path.basename(upload.name or "file")[:200] or "file"
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is too large: files up to %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    kind = file_kind_of(upload)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a PDF or Office file (judged by its content, not its name).")
            % {"name": name}
        )
    extension = KINDS[kind][0]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if kind == "ole2":
        guessed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        extension = guessed if guessed in ("doc", "xls", "ppt") else "doc"
    return CheckedFile(upload=upload, name=f"{stem}.{extension}", kind=kind, size=upload.size or 0)


def publication_file_attach(*, publication: Publication, checked: CheckedFile) -> None:
    """Store the file on the publication and queue its reading after commit. Called
    inside the caller's transaction."""
    from library.tasks import publication_file_process as process_task

    old = publication.file.name if publication.file else ""
    publication.file.save(checked.name, checked.upload, save=False)
    publication.file_name = checked.name
    publication.file_kind = checked.kind
    publication.file_size = checked.size
    publication.file_status = Publication.FileStatus.PENDING
    publication.file_problem = ""
    publication.save(
        update_fields=["file", "file_name", "file_kind", "file_size", "file_status", "file_problem"]
    )
    storage = publication.file.storage
    if old and old != publication.file.name:
        transaction.on_commit(lambda: storage.delete(old))
    pk = publication.pk
    transaction.on_commit(lambda: process_task.delay(pk))


def _pdf_text_and_cover(data: bytes) -> tuple[str, bytes | None]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        parts: list[str] = []
        size = 0
        cover = None
        for index in range(len(document)):
            page = document[index]
            try:
                if index == 0:
                    scale = COVER_WIDTH / max(page.get_width(), 1)
                    image = page.render(scale=scale).to_pil()
                    out = io.BytesIO()
                    image.convert("RGB").save(out, format="PNG", optimize=True)
                    cover = out.getvalue()
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
            parts.append(text)
            size += len(text)
            if size >= TEXT_LIMIT:
                break
        return "\n".join(parts)[:TEXT_LIMIT], cover
    finally:
        document.close()


XML_TEXT = re.compile(r"<(?:w:t|a:t|text:[a-z]+)(?:\s[^>]*)?>([^<]*)<")


def _office_text(data: bytes, kind: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if kind == "docx":
            names = ["word/document.xml"]
        elif kind == "pptx":
            names = sorted(
                (n for n in archive.namelist() if re.match(r"ppt/slides/slide\d+\.xml$", n)),
                key=lambda n: int(re.findall(r"\d+", n)[-1]),
            )
        else:  # odt / odp
            names = ["content.xml"]
        parts = []
        for name in names:
            xml = archive.read(name).decode("utf-8", errors="replace")
            parts.append(" ".join(unescape(t) for t in XML_TEXT.findall(xml)))
        return "\n".join(parts)[:TEXT_LIMIT]


def publication_file_process(*, publication_id: int) -> str:
    """Read the stored file: extracted text into the search document, a page-1 cover for
    PDFs. Returns the resulting file status. Safe to run twice; a file that cannot be read
    is flagged with the reason and stays downloadable."""
    from library.search.service import search_index

    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None or not publication.file:
        return "gone"
    kind = publication.file_kind
    text = ""
    cover: bytes | None = None
    status = Publication.FileStatus.READY
    problem = ""
    try:
        with publication.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        data = b""
        status, problem = Publication.FileStatus.UNREADABLE, _("The stored file is missing.")
    if data:
        try:
            if kind == "pdf":
                text, cover = _pdf_text_and_cover(data)
            elif kind in ("docx", "pptx", "odt", "odp"):
                text = _office_text(data, kind)
            else:
                status = Publication.FileStatus.NO_TEXT
        except Exception as error:  # pdfium raises its own errors for encrypted/broken files
            status = Publication.FileStatus.UNREADABLE
            reason = str(error) or error.__class__.__name__
            if "password" in reason.lower() or "encrypt" in reason.lower():
                problem = _("The file is encrypted (password protected); no text was read.")
            else:
                problem = _("The file could not be read: %(reason)s") % {"reason": reason[:200]}
            text, cover = "", None
    text = text.replace("\x00", " ")
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        PublicationSearchDocument.objects.update_or_create(
            publication=locked, defaults={"body": text, "language": locked.language}
        )
        locked.file_status = status
        locked.file_problem = problem
        fields = ["file_status", "file_problem"]
        if cover is not None:
            if locked.cover:
                locked.cover.delete(save=False)
            locked.cover.save(f"cover-{locked.pk}.png", ContentFile(cover), save=False)
            fields.append("cover")
        locked.save(update_fields=fields)
        if locked.is_published:
            transaction.on_commit(lambda: search_index([locked.pk]))
    return status

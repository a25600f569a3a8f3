"""Shared materials: which files are accepted (by name and by their first bytes)."""

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP = (b"PK\x03\x04",)
# extension → (content type, accepted leading bytes; None: text that must be UTF-8)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
}
MAX_PER_POST = 5


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedFile:
    name = os.path.basename(upload.name or "file")[:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _(
                "%(name)s: this type of file is not accepted. "
                "Share PDF, Office, image or text files."
            )
            % {"name": name}
        )
    limit = settings.COMMUNITY_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is too large: files up to %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    content_type, signatures = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not just a character cut at 2,048 bytes
                raise ValidationError(
                    _("%(name)s is not a UTF-8 text file.") % {"name": name}
                ) from None
    elif not head.startswith(signatures):
        raise ValidationError(
            _("%(name)s does not look like a .%(extension)s file.")
            % {"name": name, "extension": extension}
        )
    return CheckedFile(upload=upload, name=name, content_type=content_type, size=upload.size)

"""Publication files: type by content, the size cap before the body is parsed, the
worker's text extraction and cover, and files that cannot be read stored and flagged."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.models import Publication, PublicationSearchDocument
from library.search.service import publication_search
from library.services import publications as services
from library.services.publications import PublicationData
from library.services.publications_files import file_kind_of, publication_file_check
from tests.library.pdfs import broken_pdf, encrypted_pdf, text_pdf

pytestmark = pytest.mark.django_db


def docx(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<w:document><w:body><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_type_is_judged_by_content_not_name():
    assert file_kind_of(upload("paper.docx", text_pdf("x"))) == "pdf"
    assert publication_file_check(upload("paper.docx", text_pdf("x"))).name == "paper.pdf"
    assert file_kind_of(upload("paper.pdf", docx("hello"))) == "docx"
    for name, content in [
        ("paper.pdf", b"<html>not a pdf</html>"),
        ("paper.pdf", b"MZ\x90\x00 an executable"),
        ("paper.docx", b"PK\x03\x04 not really a zip"),
    ]:
        with pytest.raises(ValidationError):
            publication_file_check(upload(name, content))


def test_size_cap(settings):
    settings.LIBRARY_FILE_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        publication_file_check(upload("big.pdf", text_pdf("x" * 200)))


def submit_with(member, name, content, **fields):
    fields.setdefault("title", "Working paper")
    fields.setdefault("kind", "working_paper")
    return services.publication_submit(
        submitter=member, data=PublicationData(**fields), upload=upload(name, content)
    )


def test_pdf_text_and_cover_extracted_by_the_worker(
    member, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = submit_with(member, "paper.pdf", text_pdf("Graduation pathways in Bangladesh"))
    item.refresh_from_db()
    assert item.file_status == "ready" and item.file_kind == "pdf"
    assert item.cover.name.endswith(".png")
    assert item.cover.storage.exists(item.cover.name)
    assert "Graduation pathways" in PublicationSearchDocument.objects.get(publication=item).body
    services.publication_checklist_set(
        reviewer=staff, publication=item, metadata=True, taxonomy=True, licence=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(reviewer=staff, publication=item)
    # Found by a word only the file's text holds.
    assert publication_search(query="pathways").total == 1


@pytest.mark.parametrize(
    "content, reason",
    [(encrypted_pdf(), "encrypted"), (broken_pdf(), "could not be read")],
)
def test_unreadable_pdf_is_stored_and_flagged(
    member, content, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = submit_with(member, "paper.pdf", content)
    item.refresh_from_db()
    assert item.file_status == "unreadable"
    assert reason in item.file_problem
    assert item.file.storage.exists(item.file.name)  # kept, downloadable
    assert not item.cover


def test_office_text_extracted(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = submit_with(member, "notes.docx", docx("Pensiones sociales &amp; cobertura"))
    item.refresh_from_db()
    assert item.file_status == "ready"
    body = PublicationSearchDocument.objects.get(publication=item).body
    assert "Pensiones sociales & cobertura" in body


def test_processing_twice_changes_nothing(member, django_capture_on_commit_callbacks):
    from library.services.publications_files import publication_file_process

    with django_capture_on_commit_callbacks(execute=True):
        item = submit_with(member, "paper.pdf", text_pdf("Twice"))
    item.refresh_from_db()
    cover = item.cover.name
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_file_process(publication_id=item.pk) == "ready"
    item.refresh_from_db()
    assert PublicationSearchDocument.objects.filter(publication=item).count() == 1
    assert item.cover.storage.exists(item.cover.name)
    assert not (cover != item.cover.name and item.cover.storage.exists(cover))


def form_fields(**extra):
    fields = {
        "title": "A working paper",
        "kind": "working_paper",
        "language": "fr",
        "licence": "cc-by",
    }
    fields.update(extra)
    return fields


def test_too_large_upload_refused_before_parsing(client, member, settings):
    settings.LIBRARY_FILE_MAX_BYTES = 1024
    client.force_login(member)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 600_000)
    response = client.post(reverse("library:submit"), form_fields(file=big))
    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()  # the member reads French
    assert not Publication.objects.exists()


def test_upload_through_the_page(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library:submit"),
            form_fields(file=SimpleUploadedFile("p.pdf", text_pdf("Hello"))),
        )
    item = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:review", args=[item.pk])
    assert item.file_status == "ready"


def test_not_a_pdf_through_the_page(client, member):
    client.force_login(member)
    response = client.post(
        reverse("library:submit"),
        form_fields(file=SimpleUploadedFile("p.pdf", b"just text pretending")),
    )
    assert response.status_code == 400
    assert "pas un fichier PDF ou Office" in response.content.decode()  # in French
    assert not Publication.objects.exists()


def test_upload_handler_stops_a_body_that_grows_past_the_cap(settings, rf):
    from django.core.files.uploadhandler import StopUpload

    from core.uploads import BODY_MARGIN, SizeCapUploadHandler

    request = rf.post("/library/submit/")
    handler = SizeCapUploadHandler(request, limit=1000)
    assert handler.handle_raw_input(None, {}, 500, b"x") is None
    handler.receive_data_chunk(b"x" * (1000 + BODY_MARGIN), 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", 0)
    assert request.upload_refused
    refused = rf.post("/library/submit/")
    declared = SizeCapUploadHandler(refused, limit=1000).handle_raw_input(None, {}, 10**9, b"x")
    assert declared is not None and not declared[1]  # nothing parsed, no file
    assert refused.upload_refused

"""The web server (`python -m config.serve`) stops receiving a body past MAX_REQUEST_BODY:
a declared Content-Length is answered 413 before the body is sent, a chunked body is cut
off once it passes the cap, and the connection is closed. Below the cap, requests reach
Django unchanged: the view's own cap and the normal upload answer as before."""

import re
import select
import socket
import time

import httpx
import pytest
from django.db import connection
from django.urls import reverse

from library.models import Publication
from tests.library.pdfs import text_pdf
from tests.servers import BarazaProcesses, session_cookie

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CAP = 400_000
SUBMIT = "/library/submit/"


@pytest.fixture
def servers(tmp_path):
    processes = BarazaProcesses.create(
        workdir=tmp_path,
        db_settings=connection.settings_dict,
        # The view's cap (1 KB + the form's 256 KB margin) is below the server's.
        extra_env={"MAX_REQUEST_BODY": str(CAP), "LIBRARY_FILE_MAX_BYTES": "1024"},
    )
    processes.start_web()
    yield processes
    processes.stop()


def raw_connection(servers) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", servers.port), timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    return sock


def head(length_header: str, *extra: str) -> bytes:
    lines = [
        f"POST {SUBMIT} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: multipart/form-data; boundary=x",
        length_header,
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_to_close(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_declared_200_mb_body_is_refused_before_it_is_sent(servers):
    with raw_connection(servers) as sock:
        sock.sendall(
            head(
                f"Content-Length: {200 * 1024 * 1024}",
                "Expect: 100-continue",
                "Accept-Language: fr-FR,fr;q=0.9",
            )
            + b"--x\r\n"
        )
        answer = read_to_close(sock)  # returns only once the server has closed
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in status
    assert b"100 Continue" not in answer  # the client is not invited to send
    page = body.decode()
    assert "Trop volumineux" in page and "390,6" in page  # the limit, in French


def test_a_chunked_body_is_cut_off_once_it_passes_the_cap(servers):
    chunk = b"%x\r\n%s\r\n" % (32 * 1024, b"0" * 32 * 1024)
    sent = 0
    answer = b""
    with raw_connection(servers) as sock:
        sock.sendall(head("Transfer-Encoding: chunked"))
        deadline = time.monotonic() + 20
        # A client that keeps sending until the server answers (up to 100 MB).
        while sent < 100 * 1024 * 1024 and time.monotonic() < deadline:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"Too large to send" in answer
    # Cut off near the cap: what was sent past it is what the sockets' buffers held.
    assert CAP < sent < CAP + 8 * 1024 * 1024


def test_a_body_below_the_cap_reaches_the_views(servers, member_factory):
    member = member_factory(full_name="Samba Submitter", language="fr")
    with httpx.Client(base_url=servers.url, timeout=20) as client:
        client.headers["Cookie"] = session_cookie(member)
        # Past the view's own cap (not the server's): the site's page, in the member's
        # language, as before.
        too_large = client.post(SUBMIT, files={"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * 300_000)})
        assert too_large.status_code == 413
        assert "trop volumineux" in too_large.text and "<nav" in too_large.text
        # A normal upload is saved.
        form = client.get(SUBMIT)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        client.headers["Cookie"] += f"; csrftoken={form.cookies['csrftoken']}"
        saved = client.post(
            SUBMIT,
            data={
                "csrfmiddlewaretoken": token,
                "title": "A working paper",
                "kind": "working_paper",
                "language": "fr",
                "licence": "cc-by",
            },
            files={"file": ("p.pdf", text_pdf("Hello"))},
        )
    item = Publication.objects.get()
    assert saved.status_code == 302
    assert saved.headers["Location"] == reverse("library:review", args=[item.pk])

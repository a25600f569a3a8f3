"""`python -m config.serve [daphne's arguments]`: Daphne, refusing a request body past
MAX_REQUEST_BODY before it is read.

Daphne (Twisted) receives a whole body, into memory or a temporary file, before the ASGI
application sees its first byte: the views' own caps (core.uploads) answer only once a
200 MB upload has been received in full. Here the request Twisted builds for each HTTP
request counts its body as it arrives. A declared Content-Length past the cap is answered
413 as soon as the headers are in; a chunked (undeclared) body as soon as it grows past
the cap. The connection is then closed: the rest is never read. Bodies within the cap go
to Django unchanged, where each view's cap answers with the site's own page.

The arguments are daphne's (`python -m daphne --help`); only its HTTP factory is ours.
"""

import daphne.server  # isort: skip  # first: it installs Twisted's asyncio reactor

import logging
import os
from http.cookies import SimpleCookie

import django
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

from config.request_body import refusal_pages, request_body_cap

logger = logging.getLogger(__name__)


class BodyCappedRequest(WebRequest):
    """Daphne's request, which stops receiving a body past the factory's cap."""

    body_refused = False

    def gotLength(self, length):  # noqa: N802 - Twisted's name
        # Twisted calls this once the headers are in: `length` is the declared
        # Content-Length, or None for a chunked body.
        self.body_cap = self.channel.factory.body_cap
        self.body_seen = 0
        self.body_refused = False
        if length is not None and length > self.body_cap:
            # Twisted would answer "100 Continue" after this call: the client must not
            # be told to send, and nothing may follow the 413 on the wire.
            self.requestHeaders.removeHeader(b"Expect")
            self.refuse_body(length)
            length = 0  # nothing will be stored
        super().gotLength(length)

    def handleContentChunk(self, data):  # noqa: N802 - Twisted's name
        if self.body_refused:
            return
        self.body_seen += len(data)
        if self.body_seen > self.body_cap:
            self.refuse_body(None)
            return
        super().handleContentChunk(data)

    def process(self):
        # A refused body may still end inside data already received: it never reaches
        # the application.
        if self.body_refused:
            return None
        return super().process()

    def refuse_body(self, declared: int | None) -> None:
        self.body_refused = True
        pages = self.channel.factory.refusal_pages
        self.channel.transport.write(pages[self.language(pages)])
        # Stops reading now; closes once the answer is written. No request reached the
        # application; the channel tells this request its connection is lost.
        self.channel.loseConnection()
        peer = self.channel.transport.getPeer()
        logger.warning(
            "Request body refused past %d bytes (%s) from %s",
            self.body_cap,
            f"declared {declared}" if declared is not None else "chunked",
            getattr(peer, "host", peer),
        )

    def language(self, pages: dict[str, bytes]) -> str:
        """The visitor's chosen language (cookie), else their browser's, else the site's."""
        cookies = SimpleCookie()
        for header in self.requestHeaders.getRawHeaders(b"Cookie") or []:
            try:
                cookies.load(header.decode("latin-1"))
            except Exception:  # noqa: BLE001,S112 - a malformed cookie header chooses nothing
                continue
        chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and chosen.value in pages:
            return chosen.value
        for header in self.requestHeaders.getRawHeaders(b"Accept-Language") or []:
            for tag, _quality in parse_accept_lang_header(header.decode("latin-1")):
                for candidate in (tag.lower(), tag.lower().split("-")[0]):
                    if candidate in pages:
                        return candidate
        return settings.LANGUAGE_CODE


class BodyCappedHTTPFactory(HTTPFactory):
    def __init__(self, server):
        super().__init__(server)
        self.body_cap = request_body_cap()
        self.refusal_pages = refusal_pages(self.body_cap)

    def buildProtocol(self, addr):  # noqa: N802 - Twisted's name
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = BodyCappedRequest
        return protocol


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    # daphne's Server builds its factory from this module name when it runs.
    daphne.server.HTTPFactory = BodyCappedHTTPFactory
    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()

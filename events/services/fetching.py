"""Fetching a partner's calendar feed: conditional GET, a timeout, a size cap, a few
redirects, and no private or loopback addresses unless EVENTS_FEED_ALLOW_PRIVATE.

Every hop's host is resolved once and its addresses checked; the connection goes to
those very addresses (the request keeps the name for its Host header and, over https,
for SNI and the certificate), so a DNS answer that changes after the check (rebinding
to 127.0.0.1 or 169.254.169.254) is never dialled.
"""

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpcore
import httpx
from django.conf import settings

REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "Baraza calendar importer (+https://baraza.example)"


class FetchRefused(Exception):
    """The feed could not be fetched; str() is the one-line reason."""


@dataclass
class Fetched:
    body: bytes | None  # None: not modified since the last poll (HTTP 304)
    etag: str = ""
    last_modified: str = ""
    url: str = ""


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _addresses_within(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    """The address and any IPv4 address an IPv6 one carries (mapped, IPv4-compatible,
    6to4, NAT64, Teredo): `is_global` calls ::127.0.0.1 or 2002:7f00:1:: public."""
    found: list = [address]
    if isinstance(address, ipaddress.IPv6Address):
        packed = int(address)
        if address.ipv4_mapped:
            found.append(address.ipv4_mapped)
        if address.sixtofour:
            found.append(address.sixtofour)
        if address.teredo:
            found.extend(address.teredo)
        if address in NAT64 or packed >> 32 == 0:  # NAT64, IPv4-compatible (::a.b.c.d)
            found.append(ipaddress.IPv4Address(packed & 0xFFFFFFFF))
    return found


def _vetted_addresses(url: str) -> tuple[str, int, list[str]]:
    """(host, port, addresses) of a hop: the host as the HTTP client names it, resolved
    once; every address must be public unless EVENTS_FEED_ALLOW_PRIVATE."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchRefused(f"not an http(s) address: {url[:200]}") from error
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchRefused(f"not an http(s) address: {url[:200]}")
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded, IPv6 without brackets
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise FetchRefused(f"the host {parsed.host} cannot be found") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.EVENTS_FEED_ALLOW_PRIVATE:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])  # no IPv6 scope id
            if not all(candidate.is_global for candidate in _addresses_within(address)):
                raise FetchRefused(
                    f"{parsed.host} resolves to a private or local address ({address}); "
                    "only public addresses are fetched"
                )
    return host, port, addresses


class _PinnedBackend(httpcore.SyncBackend):
    """Dials the addresses vetted for a host and port, never resolving the name again."""

    def __init__(self) -> None:
        self.vetted: dict[tuple[str, int], list[str]] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception = httpcore.ConnectError(f"{host} was not checked before connecting")
        for address in self.vetted.get((host, port), []):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure


class _PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _PinnedBackend) -> None:
        super().__init__(trust_env=False)
        # httpx takes no network backend of its own: its pool is built again, as
        # HTTPTransport builds it, around the pinned one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=backend,
        )


def feed_fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limit = settings.EVENTS_FEED_MAX_BYTES
    backend = _PinnedBackend()
    with httpx.Client(
        transport=_PinnedTransport(backend),
        follow_redirects=False,
        timeout=settings.EVENTS_FEED_TIMEOUT,
        trust_env=False,
    ) as client:
        for _hop in range(settings.EVENTS_FEED_MAX_REDIRECTS + 1):
            host, port, addresses = _vetted_addresses(url)
            backend.vetted[(host, port)] = addresses
            try:
                with client.stream("GET", url, headers=headers) as response:
                    location = response.headers.get("location", "")
                    if response.status_code in REDIRECTS and location:
                        url = urljoin(url, location)
                        continue
                    if response.status_code == 304:
                        return Fetched(body=None, etag=etag, last_modified=last_modified, url=url)
                    if response.status_code != 200:
                        raise FetchRefused(f"the server answered HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchRefused(f"the feed is larger than {limit} bytes")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise FetchRefused(f"the feed is larger than {limit} bytes")
                        chunks.append(chunk)
                    return Fetched(
                        body=b"".join(chunks),
                        etag=response.headers.get("etag", "")[:300],
                        last_modified=response.headers.get("last-modified", "")[:100],
                        url=url,
                    )
            except httpx.TimeoutException as error:
                raise FetchRefused(
                    f"no answer within {settings.EVENTS_FEED_TIMEOUT:g} seconds"
                ) from error
            except httpx.HTTPError as error:
                raise FetchRefused(f"the feed cannot be fetched: {error}"[:300]) from error
    raise FetchRefused(f"more than {settings.EVENTS_FEED_MAX_REDIRECTS} redirects")

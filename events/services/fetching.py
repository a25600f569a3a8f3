"""Fetching a partner's calendar feed: conditional GET, a timeout, a size cap, a few
redirects, and no private or loopback addresses unless EVENTS_FEED_ALLOW_PRIVATE.

Every hop's host is resolved and checked before it is requested. (The HTTP client
resolves it again; a DNS answer that changes between the two is not defended here.)
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"not an http(s) address: {url[:200]}")
    if settings.EVENTS_FEED_ALLOW_PRIVATE:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise FetchRefused(f"the host {parts.hostname} cannot be found") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not all(candidate.is_global for candidate in _addresses_within(address)):
            raise FetchRefused(
                f"{parts.hostname} resolves to a private or local address ({address}); "
                "only public addresses are fetched"
            )


def feed_fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limit = settings.EVENTS_FEED_MAX_BYTES
    with httpx.Client(
        follow_redirects=False, timeout=settings.EVENTS_FEED_TIMEOUT, trust_env=False
    ) as client:
        for _hop in range(settings.EVENTS_FEED_MAX_REDIRECTS + 1):
            _check_address(url)
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

"""Recording usage without slowing pages: what a request tells (path pattern, referrer
host, language, device, country, a daily visitor hash), kept in this process's buffer and
written in batches — one transaction of a few INSERTs each — by a background thread, when
the buffer is full or every USAGE_FLUSH_SECONDS, and at exit. The buffer holds at most
USAGE_BUFFER_LIMIT events; what cannot be kept or written is counted (monitoring.drops).

Nothing identifying is kept: no cookie is set, the address and browser only feed the
day's salted hash, and the salt is deleted once the day is over (monitoring.services).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import re
import secrets
import threading
from collections import Counter
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import (
    DataError,
    IntegrityError,
    close_old_connections,
    connection,
    transaction,
)

from core import sql
from core.clock import now
from core.ratelimit import client_ip
from core.zones import canonical_zone, country_zones
from monitoring.drops import drop_count, drops_store

logger = logging.getLogger("baraza.usage")

SECRET = "…"
# Converters whose values are public names of public things (a webinar's slug, a
# thread's number); anything else (str, path, a regular expression) may be a secret.
PUBLIC_CONVERTERS = {"int", "slug"}
# ...unless the parameter's name says it identifies a person or is a secret.
PRIVATE_NAMES = re.compile(r"token|key|secret|code|uid|public_id|email", re.IGNORECASE)
EXCLUDED_PREFIXES = (
    "/static/",
    "/media/",
    "/admin/",
    "/healthz",
    "/anymail/",
    "/monitoring/",
    "/i18n/",
    "/timezone/",
    "/zones/",
    "/favicon",
)
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@lru_cache(maxsize=512)
def _public_parameters(route: str) -> frozenset[str]:
    """Which of a route's parameters may be shown as they are (`slug`, `int` ones whose
    names say nothing private); regular-expression groups never."""
    return frozenset(
        match["name"]
        for match in _ROUTE_PARAMETER.finditer(route)
        if (match["converter"] or "str") in PUBLIC_CONVERTERS
        and not PRIVATE_NAMES.search(match["name"])
    )


def path_pattern(request) -> str | None:
    """The request's path with every non-public parameter replaced by "…"
    (`/j/<token>` → `/j/…`), derived from the URL pattern it resolved to; no query
    string. None when it resolved to nothing."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    path = request.path
    public = _public_parameters(match.route or "")
    secrets_in_path = [str(value) for value in match.args]
    secrets_in_path += [
        str(value) for name, value in match.kwargs.items() if name not in public and value
    ]
    for value in sorted(secrets_in_path, key=len, reverse=True):
        if value:
            path = path.replace(value, SECRET)
    return text(path, 300)


@lru_cache(maxsize=2048)
def is_bot(user_agent: str) -> bool:
    if not user_agent.strip():
        return True
    return bool(_detector().isCrawler(user_agent))


@lru_cache(maxsize=1)
def _detector():
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()


@lru_cache(maxsize=2048)
def device_class(user_agent: str) -> str:
    if "iPad" in user_agent or "Tablet" in user_agent:
        return "tablet"
    if "Android" in user_agent and "Mobile" not in user_agent:
        return "tablet"
    if "Mobi" in user_agent or "iPhone" in user_agent:
        return "mobile"
    return "desktop"


@lru_cache(maxsize=1)
def _zone_country() -> dict[str, str]:
    """Zone → country, for zones one country uses (zone.tab)."""
    return {zone: code for code, zones in country_zones().items() for zone in zones}


def zone_country(zone: str | None) -> str:
    name = canonical_zone(zone) if zone else None
    return _zone_country().get(name or "", "")


def text(value: Any, limit: int) -> str:
    """`value` as a column's text: without NUL characters, which PostgreSQL text cannot
    hold (one would fail the batch's INSERT and lose every event in it), cut to `limit`."""
    return str(value).replace("\x00", "")[:limit]


def referrer_host(request) -> str:
    """The referring site's host only; nothing for links within Baraza."""
    referrer = request.META.get("HTTP_REFERER", "")
    if not referrer:
        return ""
    try:
        host = (urlsplit(referrer).hostname or "").lower()
    except ValueError:
        return ""
    own = request.get_host().split(":")[0].lower() if request.META.get("HTTP_HOST") else ""
    if not host or host == own:
        return ""
    return text(host.removeprefix("www."), 200)


def opted_out(request) -> bool:
    """Do Not Track or Global Privacy Control: nothing is recorded."""
    return request.META.get("HTTP_DNT") == "1" or request.META.get("HTTP_SEC_GPC") == "1"


# --- the day's salt -------------------------------------------------------------------
_salts: dict[date, str] = {}
_salt_lock = threading.Lock()


def day_salt(day: date) -> str:
    """The day's salt, shared by every process through the database (one row a day)."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    from monitoring.models import DailySalt

    with _salt_lock:
        row = DailySalt.objects.filter(day=day).first()
        if row is None:
            try:
                row = DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
            except IntegrityError:  # another process made it first
                row = DailySalt.objects.get(day=day)
        _salts.clear()  # yesterday's is of no more use here
        _salts[day] = row.salt
        return row.salt


def forget_salts() -> None:
    _salts.clear()


def visitor_hash(request, day: date) -> str:
    address = client_ip(request)  # the address the proxy saw, as rate limits count it
    agent = request.META.get("HTTP_USER_AGENT", "")
    host = request.META.get("HTTP_HOST", "")
    material = f"{day_salt(day)}|{address}|{agent}|{host}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def request_country(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.country:
        return str(user.country)
    zone = getattr(request, "timezone_name", None) or unquote(
        request.COOKIES.get(settings.TIMEZONE_COOKIE_NAME, "")
    )
    return zone_country(zone)


# The raw event's columns, in the order the buffer keeps them and the INSERT names them.
COLUMNS = (
    "kind",
    "day",
    "at",
    "path",
    "referrer_host",
    "language",
    "device",
    "country",
    "visitor",
    "target",
    "organization_id",
    "query",
    "results",
)
DEFAULTS: dict[str, Any] = {name: "" for name in COLUMNS} | {
    "organization_id": 0,
    "results": None,
}


def event_from_request(
    request, *, kind: str, at: datetime | None = None, **fields: Any
) -> dict[str, Any] | None:
    """The event `request` makes, as column values (a plain dict: cheap to make in a
    request); None for a bot or an opted-out visitor."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    if opted_out(request) or is_bot(agent):
        return None
    at = at or now()
    day = at.date()
    return {
        **DEFAULTS,
        "kind": str(kind),
        "day": day,
        "at": at,
        "referrer_host": referrer_host(request),
        "language": (getattr(request, "LANGUAGE_CODE", "") or "")[:8],
        "device": device_class(agent),
        "country": request_country(request),
        "visitor": visitor_hash(request, day),
        **fields,
    }


# --- the buffer -----------------------------------------------------------------------
_buffer: list[dict[str, Any]] = []
_buffer_lock = threading.Lock()
_overflowing = False  # events dropped since the buffer was last taken (logged once)
_wake = threading.Event()
_flusher: threading.Thread | None = None
_flusher_lock = threading.Lock()


def buffer_add(event: dict[str, Any]) -> None:
    """Keep `event` for the next batch; drop it (counted) when USAGE_BUFFER_LIMIT events
    already wait: memory stays bounded when the database cannot keep up."""
    global _overflowing
    with _buffer_lock:
        size = len(_buffer)
        full = size >= settings.USAGE_BUFFER_LIMIT
        if not full:
            _buffer.append(event)
            size += 1
        first_drop = full and not _overflowing
        _overflowing = _overflowing or full
    if full:
        total = drop_count(event["day"])
        if first_drop:
            logger.error(
                "usage: buffer full (%d events), new events dropped until it is written;"
                " %d dropped by this process so far",
                size,
                total,
            )
    interval = settings.USAGE_FLUSH_SECONDS
    if interval <= 0:  # no background thread (tests, commands): write when full
        if size >= settings.USAGE_BUFFER_SIZE:
            flush()
        return
    _start_flusher()
    if size >= settings.USAGE_BUFFER_SIZE:
        _wake.set()


def buffered() -> int:
    with _buffer_lock:
        return len(_buffer)


# The largest INSERT, in rows (13 parameters each). A batch goes in statements of fixed
# sizes: as many of these as fit, then the powers of two that make up the rest (200 rows:
# 128 + 64 + 8), ten statement texts in all. SQLite keeps up to 128 compiled statements
# per connection, a 200-row INSERT's some 400 KB: with one text per batch length, every
# pooled connection's cache filled with them and the server's memory grew all through a
# run (bench/monitoring_trace.py: 1.6 MB per 1,000 page views).
INSERT_ROWS = 512


def insert_sizes(count: int) -> list[int]:
    """The statement sizes `count` rows are written in, largest first."""
    sizes = [INSERT_ROWS] * (count // INSERT_ROWS)
    rest = count % INSERT_ROWS
    sizes += [1 << bit for bit in reversed(range(rest.bit_length())) if rest & (1 << bit)]
    return sizes


def _insert(batch: list[dict[str, Any]]) -> None:
    """The batch in INSERTs of `insert_sizes`, one transaction, values adapted as the ORM
    would."""
    from monitoring.models import UsageEvent

    table = sql.table(UsageEvent)
    names = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    one_row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    adapt_day = connection.ops.adapt_datefield_value
    adapt_at = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        start = 0
        for size in insert_sizes(len(batch)):
            params: list[Any] = []
            for event in batch[start : start + size]:
                params += [
                    event["kind"],
                    adapt_day(event["day"]),
                    adapt_at(event["at"]),
                    *(event[name] for name in COLUMNS[3:]),
                ]
            start += size
            values = ", ".join([one_row] * size)
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}", params)  # noqa: S608


# What a row's own values make the database (or the driver adapting them) refuse: a
# string longer than its column, a number out of its column's range, a NUL, a constraint.
# Anything else (the connection lost, a missing table) is no one row's fault.
ROW_REFUSALS = (DataError, IntegrityError, ValueError, OverflowError)


def flush() -> int:
    """Write everything buffered in this process, then the count of events dropped
    (monitoring.drops). Returns how many were written; a row the database refuses is
    dropped alone."""
    global _overflowing
    with _buffer_lock:
        batch = _buffer[:]
        _buffer.clear()
        _overflowing = False
    written = _write(batch) if batch else 0
    drops_store()
    return written


def _write(batch: list[dict[str, Any]]) -> int:
    """`batch` in one INSERT; if the database refuses a row, each half is written on its
    own, down to the refused rows, so one visitor's bad value does not lose everyone
    else's events (a few more INSERTs per bad row: twice the halvings to reach it)."""
    try:
        _insert(batch)
    except ROW_REFUSALS as error:
        if len(batch) > 1:
            middle = len(batch) // 2
            return _write(batch[:middle]) + _write(batch[middle:])
        _drop(batch, error)
        return 0
    except Exception as error:  # the database's fault, not a row's: the batch is lost
        _drop(batch, error, trace=True)
        return 0
    return len(batch)


def _drop(batch: list[dict[str, Any]], error: Exception, *, trace: bool = False) -> None:
    """Count and log the events lost, once: the reason is the error's first line (a
    PostgreSQL error's detail repeats the failing row's values, a visitor's among them),
    and of a single event its kind and path pattern, nothing else."""
    for day, events in Counter(event["day"] for event in batch).items():
        total = drop_count(day, events)
    reason = f"{type(error).__name__}: {str(error).strip().partition(chr(10))[0][:200]}"
    if len(batch) == 1:
        what = f"1 event ({batch[0].get('kind', '')} {batch[0].get('path', '')})"
    else:
        what = f"{len(batch)} events"
    logger.error(
        "usage: %s dropped: %s; %d dropped by this process so far",
        what,
        reason,
        total,
        exc_info=error if trace else None,
    )


def _flusher_loop() -> None:
    while True:
        _wake.wait(timeout=settings.USAGE_FLUSH_SECONDS)
        _wake.clear()
        try:
            close_old_connections()
            flush()
        finally:
            connection.close()  # this thread's connection goes back (or away)


def _start_flusher() -> None:
    global _flusher
    if _flusher is not None and _flusher.is_alive():
        return
    with _flusher_lock:
        if _flusher is None or not _flusher.is_alive():
            _flusher = threading.Thread(target=_flusher_loop, name="usage-flusher", daemon=True)
            _flusher.start()


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # the database may be gone at exit: nothing more to do
        logger.exception("usage: flush at exit failed")


def sink(*, kind: str, request: Any = None, **attrs: Any) -> None:
    """The core.usage sink: an app reports a download, a search, a join click."""
    if not settings.USAGE_RECORDING:
        return
    fields: dict[str, Any] = {}
    if "query" in attrs:
        fields["query"] = text(" ".join(str(attrs["query"]).lower().split()), 200)
    if "results" in attrs and attrs["results"] is not None:
        fields["results"] = int(attrs["results"])
    target = attrs.get("target", attrs.get("item"))
    if target is not None:
        fields["target"] = text(target, 200)
    if attrs.get("organization") is not None:
        organization = attrs["organization"]
        fields["organization_id"] = int(getattr(organization, "pk", organization) or 0)
    event: dict[str, Any] | None
    if request is not None:
        event = event_from_request(request, kind=kind, **fields)
        if event is None:
            return
        if not event["path"]:
            event["path"] = path_pattern(request) or ""
        if attrs.get("country") and not event["country"]:
            event["country"] = str(attrs["country"])[:2]
    else:
        at = now()
        event = {**DEFAULTS, "kind": str(kind), "day": at.date(), "at": at, **fields}
    buffer_add(event)


def flush_discard() -> None:
    """Drop what is buffered, unwritten (tests start from an empty buffer)."""
    with _buffer_lock:
        _buffer.clear()

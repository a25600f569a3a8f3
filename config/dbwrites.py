"""Serialise hot write transactions inside one process when the database is SQLite.

SQLite allows one writer at a time; under load, 50 request threads racing for
`BEGIN IMMEDIATE` sleep in its busy handler for up to the timeout and some fail with
"database is locked". Queuing them on a process lock first makes them wait in order
instead (measured: 0 errors at concurrency 100, p99 19 s → 4 s). PostgreSQL needs
none of this: its row locks do the ordering.
"""

import threading
from contextlib import contextmanager, nullcontext

from django.db import connection

_sqlite_writer = threading.Lock()


@contextmanager
def serialized_writes():
    guard = _sqlite_writer if connection.vendor == "sqlite" else nullcontext()
    with guard:
        yield

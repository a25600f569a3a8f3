"""Serialise hot write transactions inside one process when the database is SQLite.

SQLite allows one writer at a time; under load, 50 request threads racing for
`BEGIN IMMEDIATE` sleep in its busy handler for up to the timeout and some fail with
"database is locked". Queuing them on a process lock first makes them wait in order
instead (measured: 0 errors at concurrency 100, p99 19 s → 4 s). PostgreSQL needs
none of this: its row locks do the ordering.

The lock is let go the moment the transaction commits, before its on_commit hooks run:
those queue tasks for the worker (about a millisecond each) and need no lock, so the
next writer should not wait for them.
"""

import threading
from contextlib import contextmanager

from django.db import connection, transaction

_sqlite_writer = threading.Lock()


@contextmanager
def serialized_atomic():
    """`transaction.atomic()`, entered in turn with this process's other writers on SQLite."""
    if connection.vendor != "sqlite":
        with transaction.atomic():
            yield
        return
    _sqlite_writer.acquire()
    held = True

    def release() -> None:
        nonlocal held
        if held:
            held = False
            _sqlite_writer.release()

    try:
        with transaction.atomic():
            transaction.on_commit(release)  # the first hook: the others run unlocked
            yield
    finally:
        release()  # rolled back, or inside an outer transaction that commits later

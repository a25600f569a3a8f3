"""Django's SQLite backend, reusing connections from one request to the next.

Under ASGI each request runs in a context of its own, so Django opens a SQLite
connection for it and closes it at the end; the first query on a new connection then
reads and parses the whole schema again (0.7 ms here: more than a simple page's own
queries). This backend keeps a few closed connections per process and hands them to
the next request instead of opening one. Only an idle connection (no transaction
open) goes back; an in-memory database is never shared. A forked child (a Celery
worker process) starts with no idle connections: SQLite connections must not cross a
fork, so those it inherited are closed, as Django and Celery would close them.
"""

import os
import queue
import threading

from django.db.backends.sqlite3 import base

IDLE_PER_DATABASE = 16

_idle: dict[str, queue.LifoQueue] = {}
_idle_lock = threading.Lock()


def _forget_inherited() -> None:
    global _idle_lock
    _idle_lock = threading.Lock()
    _idle.clear()


os.register_at_fork(after_in_child=_forget_inherited)


def _idle_for(name: str) -> queue.LifoQueue:
    pool = _idle.get(name)
    if pool is None:
        with _idle_lock:
            pool = _idle.setdefault(name, queue.LifoQueue(maxsize=IDLE_PER_DATABASE))
    return pool


class DatabaseWrapper(base.DatabaseWrapper):
    opened_in: int | None = None  # the process the current connection belongs to

    def _reusable(self) -> bool:
        return not self.is_in_memory_db()

    def get_new_connection(self, conn_params):
        self.opened_in = os.getpid()
        if self._reusable():
            try:
                return _idle_for(str(self.settings_dict["NAME"])).get_nowait()
            except queue.Empty:
                pass
        return super().get_new_connection(conn_params)

    def _close(self):
        connection = self.connection
        if (
            connection is not None
            and self._reusable()
            and self.opened_in == os.getpid()  # not one a forked child inherited
            and not connection.in_transaction
        ):
            try:
                _idle_for(str(self.settings_dict["NAME"])).put_nowait(connection)
                return None
            except queue.Full:
                pass
        return super()._close()

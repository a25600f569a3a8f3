"""Running test code in several threads at once, as concurrent requests or workers would."""

import threading

from celery.result import _set_task_join_will_block, task_join_will_block
from django.db import connections


def in_threads(work, count: int) -> None:
    """Run `work` in `count` threads at once, each on its own database connections
    (closed when it ends), and wait for all of them.

    Tasks the threads run eagerly each set Celery's process-wide "inside a task" flag and
    put back the value they found, so two that overlap can leave it set: later tests'
    `.get()` on an eager result would then refuse to run. It is put back here."""
    inside_task = task_join_will_block()

    def run():
        try:
            work()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _set_task_join_will_block(inside_task)

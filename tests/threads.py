"""Running test code in several threads at once, as concurrent requests or workers would."""

import threading

from django.db import connections


def in_threads(work, count: int) -> None:
    """Run `work` in `count` threads at once, each on its own database connections
    (closed when it ends), and wait for all of them."""

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

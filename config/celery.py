import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("baraza")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
def _settle_heap(**kwargs):
    """The worker's start-up heap out of the collector's sight (config/heap.py)."""
    from config.heap import heap_settle

    heap_settle()

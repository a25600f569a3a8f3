from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's assembly point: settings, URLs, ASGI/Celery wiring and the
    commands that start everything (`run_baraza`) and seed demo data (`seed_demo`)."""

    name = "config"
    verbose_name = "Baraza"

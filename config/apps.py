from django.apps import AppConfig
from django.db.models.signals import post_migrate


def site_follow_settings(**kwargs) -> None:
    """The Site allauth names in account emails ("an account on …") follows SITE_URL on
    every migrate (`make run` migrates at each start), not only the first one."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    from core.links import site_domain

    domain = site_domain()
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Baraza"}
    )
    Site.objects.clear_cache()


class ConfigConfig(AppConfig):
    """The project's assembly point: settings, URLs, ASGI/Celery wiring and the
    commands that start everything (`run_baraza`) and seed demo data (`seed_demo`)."""

    name = "config"
    verbose_name = "Baraza"

    def ready(self):
        post_migrate.connect(site_follow_settings, sender=self)

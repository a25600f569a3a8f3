from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = _("Webinars")

    def ready(self):
        from notifications.digests import digest_section_register
        from webinars import page_version
        from webinars.digest import webinar_digest_sections

        digest_section_register(webinar_digest_sections)
        page_version.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from communities.digest import community_digest_section
        from communities.selectors.spaces import series_community_panel
        from notifications.digests import digest_section_register
        from webinars.selectors import webinar_related_register

        digest_section_register(community_digest_section)
        webinar_related_register(series_community_panel)

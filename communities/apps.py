from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from communities.digest import community_digest_section
        from notifications.digests import SECTION_PROVIDERS

        if community_digest_section not in SECTION_PROVIDERS:
            SECTION_PROVIDERS.append(community_digest_section)

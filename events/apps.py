from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # The submitter's notifications: a category of their own in the preferences
        # (registered from here: notifications sits below events and cannot name it).
        from notifications.categories import CATEGORIES, KIND_CATEGORY, Category, Channel

        CATEGORIES.setdefault(
            "events.submission",
            Category("events.submission", _("Your submitted events"), Channel.IMMEDIATE),
        )
        KIND_CATEGORY.setdefault("events.approved", "events.submission")
        KIND_CATEGORY.setdefault("events.rejected", "events.submission")

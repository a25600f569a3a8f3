from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # The submitter's notifications: a category of their own in the preferences
        # (registered from here: notifications sits below events and cannot name it).
        from notifications.categories import Category, Channel, category_register

        category_register(
            Category("events.submission", _("Your submitted events"), Channel.IMMEDIATE),
            kinds=("events.approved", "events.rejected"),
        )

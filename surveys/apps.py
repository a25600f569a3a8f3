from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from notifications.categories import Category, Channel, category_register
        from surveys.services.distribution import feedback_link
        from webinars.emails import followup_extra_register

        category_register(
            Category(
                "surveys.invitation", _("Survey invitations and reminders"), Channel.IMMEDIATE
            ),
            kinds=("surveys.reminder",),
        )
        category_register(Category("surveys.closed", _("Your surveys closing"), Channel.IMMEDIATE))
        followup_extra_register(feedback_link)

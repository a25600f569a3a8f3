"""A webinar's `updated_at` is the version of its public page (`selectors.webinar_page_stamp`,
under which visitors' pages are cached): whatever else the page shows from other tables
moves it too, however it is written (a service, the admin, a shell). Sessions and seats
are read into the stamp itself; the organizers' names, the custom questions and the list
of organizers are not, so a change to them touches the webinars concerned here."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from members.models import Organization
from webinars.models import RegistrationQuestion, Webinar


def webinars_touch(**filters) -> None:
    # The wall clock, as `auto_now` stamps a save: a version, not a time anyone is shown.
    Webinar.objects.filter(**filters).update(updated_at=timezone.now())


def _question_changed(sender, instance: RegistrationQuestion, **kwargs) -> None:
    webinars_touch(pk=instance.webinar_id)


def _organizers_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not reverse:
        if action.startswith("post_"):
            webinars_touch(pk=instance.pk)
    elif action == "pre_clear":  # organization.webinars.clear(): while the links still exist
        webinars_touch(organizations=instance)
    elif action in {"post_add", "post_remove"} and pk_set:
        webinars_touch(pk__in=pk_set)


def _organization_saved(sender, instance: Organization, created: bool, **kwargs) -> None:
    if not created:
        webinars_touch(organizations=instance)


def connect() -> None:
    post_save.connect(_question_changed, sender=RegistrationQuestion)
    post_delete.connect(_question_changed, sender=RegistrationQuestion)
    m2m_changed.connect(_organizers_changed, sender=Webinar.organizations.through)
    post_save.connect(_organization_saved, sender=Organization)

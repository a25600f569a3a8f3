"""Links sent to registrants: the personal join link and the signed manage link."""

from django.core import signing
from django.urls import reverse

from core.links import absolute_url
from webinars.models import Registration

MANAGE_SALT = "webinars.registration.manage"


def join_url(registration: Registration) -> str:
    return absolute_url(reverse("join", args=[registration.join_token]))


def qa_url(registration: Registration) -> str:
    """The session's live Q&A room, entered under the name the person registered with."""
    return absolute_url(reverse("join_qa", args=[registration.join_token]))


def manage_token(registration: Registration) -> str:
    # The join token is part of the payload: revoking it also revokes the manage link.
    return signing.dumps([registration.pk, registration.join_token[:8]], salt=MANAGE_SALT)


def manage_url(registration: Registration) -> str:
    return absolute_url(reverse("webinars:manage_registration", args=[manage_token(registration)]))


def registration_from_manage_token(token: str) -> Registration | None:
    try:
        pk, join_prefix = signing.loads(token, salt=MANAGE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    registration = Registration.objects.select_related("webinar", "session").filter(pk=pk).first()
    if registration is None or registration.join_token[:8] != join_prefix:
        return None
    return registration

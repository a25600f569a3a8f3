"""Emails communities send (rendered in the recipient's language)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from communities.models import Invitation
from core.links import absolute_url
from members.models import Member
from notifications.rendering import render_email


def invitation_email(invitation: Invitation) -> EmailMultiAlternatives:
    recipient = Member.objects.filter(email__iexact=invitation.email).first()
    if recipient is not None:
        language = recipient.language
    elif invitation.invited_by is not None:
        language = invitation.invited_by.language
    else:
        language = settings.LANGUAGE_CODE
    link = absolute_url(reverse("communities:invitation", args=[invitation.token]))
    context = {
        "invitation": invitation,
        "community": invitation.community,
        "inviter": invitation.invited_by,
        "link": link,
        "language": language,
    }
    return render_email(
        "communities/email/invitation", context, to=invitation.email, language=language
    )

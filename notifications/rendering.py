"""One way to render an email: `<template>_subject.txt`, `_message.txt` and
`_message.html`, in the recipient's language, with the site URL in the context."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict, *, to: str, language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}_message.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
        )
        message.attach_alternative(
            render_to_string(f"{template}_message.html", context), "text/html"
        )
    return message

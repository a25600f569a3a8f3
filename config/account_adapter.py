from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from core.zones import is_valid_zone
from members.models import Member
from notifications.delivery import email_queue


class AccountAdapter(DefaultAccountAdapter):
    """allauth, adapted: emails in the member's language, sent by the worker after commit."""

    def _recipient_language(self, email: str, context: dict) -> str:
        user = context.get("user")
        if not isinstance(user, Member):
            user = Member.objects.filter(email__iexact=email).only("language").first()
        if user is not None and user.language:
            return user.language
        return translation.get_language() or "en"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        with translation.override(self._recipient_language(email, ctx)):
            message = self.render_mail(template_prefix, email, ctx)
        # Asked for just now (verification, reset, sign-in code): never unsubscribable.
        kind = "account." + template_prefix.rsplit("/", 1)[-1]
        email_queue(message=message, kind=kind, unsubscribe=False)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language() or user.language
        browser_zone = getattr(request, "timezone_name", None)
        if getattr(request, "timezone_source", "") == "browser" and is_valid_zone(browser_zone):
            user.time_zone = browser_zone
        if commit:
            user.save()
        return user

"""One-click unsubscribe (RFC 8058): an opaque signed token names the address and category."""

from django.core import signing
from django.urls import reverse

from core.links import absolute_url

SALT = "notifications.unsubscribe"


def unsubscribe_token(email: str, category: str) -> str:
    return signing.dumps([email.lower(), category], salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    try:
        email, category = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return email, category


def unsubscribe_url(email: str, category: str) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(email, category)])
    )


def list_unsubscribe_headers(email: str, category: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(email, category)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }

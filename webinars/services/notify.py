"""Side effects of webinar changes, queued for the worker once the change commits."""

from django.db import transaction


def notify_registration(registration_id: int, kind: str) -> None:
    from webinars.tasks import registration_notify

    transaction.on_commit(lambda: registration_notify.delay(registration_id, kind))


def notify_session(session_id: int, kind: str) -> None:
    from webinars.tasks import session_notify

    transaction.on_commit(lambda: session_notify.delay(session_id, kind))

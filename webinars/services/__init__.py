"""Every state change of webinars, sessions and registrations."""

from webinars.services.registrations import (
    RegistrationClosed,
    registration_approve,
    registration_cancel,
    registration_closed_reason,
    registration_create,
    registration_record_join,
    registration_reject,
    registration_switch_session,
)
from webinars.services.reminders import reminders_send_due
from webinars.services.webinars import (
    session_cancel,
    session_create,
    session_reschedule,
    webinar_create,
    webinar_message_registrants,
    webinar_update,
)

__all__ = [
    "RegistrationClosed",
    "registration_approve",
    "registration_cancel",
    "registration_closed_reason",
    "registration_create",
    "registration_record_join",
    "registration_reject",
    "registration_switch_session",
    "reminders_send_due",
    "session_cancel",
    "session_create",
    "session_reschedule",
    "webinar_create",
    "webinar_message_registrants",
    "webinar_update",
]

"""The organizers' attendance forms: a report upload, the zone of a report's times, and
the follow-up's recording and slides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.clock import now
from members.forms import TimeZoneField, zone_choices
from webinars.attendance.reading import MAX_BYTES
from webinars.models import Session, Webinar


def _session_label(session: Session) -> str:
    return session.label


class ReportUploadForm(forms.Form):
    session = forms.ModelChoiceField(label=gettext_lazy("Session"), queryset=Session.objects.none())
    report = forms.FileField(
        label=gettext_lazy("Report file"),
        help_text=gettext_lazy(
            "The attendee report as Zoom (webinar or meeting), Microsoft Teams or GoTo "
            "Webinar exports it, in CSV. The format is recognised by itself."
        ),
    )
    zone = forms.ChoiceField(
        label=gettext_lazy("Time zone of the times in the file"),
        required=False,
        help_text=gettext_lazy(
            "The zone the platform wrote the times in (usually the host's account zone)."
        ),
    )

    def __init__(self, *args: Any, webinar: Webinar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = webinar.sessions.order_by("starts_at")
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        session_field.queryset = sessions
        session_field.label_from_instance = _session_label  # type: ignore[method-assign,assignment]
        zone_field = self.fields["zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [("", _("The session's host zone")), *zone_choices()]
        started = [s for s in sessions if s.starts_at <= now()]
        if started and "session" not in self.initial:  # the latest that has begun
            self.initial["session"] = started[-1].pk

    def clean_report(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["report"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than 30 MB; no attendance report is that big.")
            )
        return upload


class ZoneForm(forms.Form):
    zone = TimeZoneField(label=gettext_lazy("Time zone of the times in the file"))


class FollowUpForm(forms.Form):
    recording_url = forms.URLField(
        label=gettext_lazy("Recording (web address)"), required=False, assume_scheme="https"
    )
    slides_url = forms.URLField(
        label=gettext_lazy("Slides (web address)"), required=False, assume_scheme="https"
    )

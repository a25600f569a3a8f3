"""Attendance: platform reports read (Zoom webinar and meeting, Teams, GoTo Webinar),
rejoins merged, people matched to registrations, imported once; follow-up emails.

    reading.py     bytes → numbered CSV records; non-reports refused (ReportError)
    dates.py       the reports' offset-less times, read in the export's zone
    formats/       one parser per platform export
    detection.py   which export a file is; `read_report`
    merging.py     rows → people: stays merged, minutes capped at the session
    services.py    preview, apply (atomic, once per file), the command's one-shot import
    followup.py    recording and slides to attendees ("thank you") and no-shows ("sorry
                   we missed you"), once per registration
    forms.py       the upload, zone and follow-up forms
    views.py       the organizers' attendance pages and the attendance CSV
"""

from webinars.attendance.reading import ReportError

__all__ = ["ReportError"]

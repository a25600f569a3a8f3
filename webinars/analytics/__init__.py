"""Analytics selectors: who registered, who came, for how long — per session, per webinar,
across webinars — and the history the planner shows beside each candidate time.

Definitions (the pages say them too):

- *registered*: every registration, whatever its status (the statuses are counted apart).
- *attended*: a confirmed registrant with evidence of being there: a platform report
  places them in a session (`Attendance`), or they clicked their personal join link.
  Registrants who came without a seat (waitlisted, cancelled) are counted apart as
  *came anyway*; people in a report who never registered are *walk-ins*.
- *attendance rate*: attended ÷ confirmed registrants, over sessions that are over and
  not cancelled (an upcoming session has no rate yet).
- *minutes*: from the reports (rejoins merged, capped at the session's length).
- *local start hour / weekday*: the session's start in the registrant's own time zone.

Query counts do not grow with the number of webinars or registrations: per-webinar pages
read one webinar's rows in a fixed number of queries; the cross-webinar dashboards and the
planner history group in SQL (one pass over registrations, by session, zone and country)
and roll the groups up in Python.

    tally.py           Tally and Row, the labels of groups, when a session is over
    scope.py           which webinars a dashboard covers, who may see it; the grouped reads
    webinar_report.py  one webinar's page
    dashboard.py       the partner and platform dashboards
    history.py         the planner's attendance history by region and local hour
    export.py          the registrant and attendance CSV downloads (one row builder)
    charts.py          the pages' inline SVG charts: pure geometry, no request, no query
"""

from webinars.analytics.dashboard import (
    Dashboard,
    DashboardChoices,
    WebinarLine,
    dashboard_filters,
    dashboard_report,
)
from webinars.analytics.export import (
    EXPORT_HEADER,
    REGISTRANT_COLUMNS,
    AttendanceExportRow,
    RegistrantCells,
    attendance_export,
    registrant_cells,
    registrant_rows,
)
from webinars.analytics.history import (
    RateCell,
    attendance_rate_by_region_local_hour,
    history_lines,
)
from webinars.analytics.scope import Scope, dashboard_scope
from webinars.analytics.tally import (
    Row,
    Tally,
    country_label,
    hour_label,
    region_label,
    weekday_label,
)
from webinars.analytics.webinar_report import (
    RETENTION_STEP,
    TIMELINE_DAYS,
    NoShow,
    SessionReport,
    WebinarReport,
    webinar_report,
)

__all__ = [
    "EXPORT_HEADER",
    "REGISTRANT_COLUMNS",
    "RETENTION_STEP",
    "TIMELINE_DAYS",
    "AttendanceExportRow",
    "Dashboard",
    "DashboardChoices",
    "NoShow",
    "RateCell",
    "RegistrantCells",
    "Row",
    "Scope",
    "SessionReport",
    "Tally",
    "WebinarLine",
    "WebinarReport",
    "attendance_export",
    "attendance_rate_by_region_local_hour",
    "country_label",
    "dashboard_filters",
    "dashboard_report",
    "dashboard_scope",
    "history_lines",
    "hour_label",
    "region_label",
    "registrant_cells",
    "registrant_rows",
    "webinar_report",
    "weekday_label",
]

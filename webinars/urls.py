from django.urls import path

from webinars import analytics_views, manage_views, planner_views, views
from webinars.attendance import views as attendance_views

app_name = "webinars"

urlpatterns = [
    path("", views.webinar_list, name="list"),
    path("plan/", planner_views.planner, name="planner"),
    path("manage/", manage_views.dashboard, name="manage"),
    path("manage/new/", manage_views.webinar_edit, name="create"),
    path("manage/<slug:slug>/", manage_views.webinar_manage, name="manage_webinar"),
    path("manage/<slug:slug>/edit/", manage_views.webinar_edit, name="edit"),
    path("manage/<slug:slug>/sessions/new/", manage_views.session_edit, name="session_new"),
    path(
        "manage/<slug:slug>/sessions/<int:session_id>/",
        manage_views.session_edit,
        name="session_edit",
    ),
    path(
        "manage/<slug:slug>/sessions/<int:session_id>/cancel/",
        manage_views.session_cancel,
        name="session_cancel",
    ),
    path("manage/<slug:slug>/registrants/", manage_views.registrants, name="registrants"),
    path(
        "manage/<slug:slug>/registrants.csv", manage_views.registrants_csv, name="registrants_csv"
    ),
    path("manage/<slug:slug>/registrants/add/", manage_views.registrant_add, name="registrant_add"),
    path(
        "manage/<slug:slug>/registrants/message/",
        manage_views.registrants_message,
        name="registrants_message",
    ),
    path(
        "manage/<slug:slug>/registrants/<int:registration_id>/",
        manage_views.registrant_action,
        name="registrant_action",
    ),
    # Attendance and analytics.
    path("manage/<slug:slug>/attendance/", attendance_views.attendance_page, name="attendance"),
    path(
        "manage/<slug:slug>/attendance/imports/<int:import_id>/",
        attendance_views.import_preview,
        name="attendance_import",
    ),
    path(
        "manage/<slug:slug>/attendance/imports/<int:import_id>/apply/",
        attendance_views.import_apply,
        name="attendance_import_apply",
    ),
    path(
        "manage/<slug:slug>/attendance.csv", attendance_views.attendance_csv, name="attendance_csv"
    ),
    path("manage/<slug:slug>/analytics/", analytics_views.webinar_analytics, name="analytics"),
    path(
        "manage/<slug:slug>/analytics/<slug:chart>.csv",
        analytics_views.webinar_analytics_csv,
        name="analytics_chart",
    ),
    path("manage/<slug:slug>/follow-up/", attendance_views.followup, name="followup"),
    path("analytics/", analytics_views.partner_dashboard, name="analytics_partner"),
    path(
        "analytics/export.csv",
        analytics_views.dashboard_export,
        name="analytics_partner_export",
    ),
    path(
        "analytics/<slug:chart>.csv",
        analytics_views.dashboard_chart_csv,
        name="analytics_partner_chart",
    ),
    path("analytics/platform/", analytics_views.platform_dashboard, name="analytics_platform"),
    path(
        "analytics/platform/export.csv",
        analytics_views.dashboard_export,
        {"platform": True},
        name="analytics_platform_export",
    ),
    path(
        "analytics/platform/<slug:chart>.csv",
        analytics_views.dashboard_chart_csv,
        {"platform": True},
        name="analytics_platform_chart",
    ),
    path("registration/<str:token>/", views.manage_registration, name="manage_registration"),
    path("<slug:slug>/", views.webinar_detail, name="detail"),
    path("<slug:slug>/registered/", views.registered, name="registered"),
    path("<slug:slug>/sessions/<int:session_id>.ics", views.session_ics, name="session_ics"),
    path(
        "<slug:slug>/sessions/<int:session_id>/add-to/<str:service>/",
        views.session_calendar_link,
        name="session_calendar_link",
    ),
]

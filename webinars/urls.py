from django.urls import path

from webinars import manage_views, planner_views, views

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
    path("registration/<str:token>/", views.manage_registration, name="manage_registration"),
    path("<slug:slug>/", views.webinar_detail, name="detail"),
    path("<slug:slug>/registered/", views.registered, name="registered"),
    path("<slug:slug>/sessions/<int:session_id>.ics", views.session_ics, name="session_ics"),
]

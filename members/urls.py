from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("settings/", views.member_settings, name="settings"),
    path("timezone/", views.choose_timezone, name="timezone"),
    path(
        "organizations/<slug:slug>/follow/",
        views.organization_follow,
        name="organization_follow",
    ),
    path(
        "organizations/<slug:slug>/unfollow/",
        views.organization_unfollow,
        name="organization_unfollow",
    ),
    # A random public id (Member.public_id), never the countable primary key.
    path("<slug:public_id>/", views.profile, name="profile"),
]

from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("settings/", views.member_settings, name="settings"),
    path("timezone/", views.choose_timezone, name="timezone"),
    path("<int:member_id>/", views.profile, name="profile"),
]

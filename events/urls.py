from django.urls import path

from events import manage_views, views

app_name = "events"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("feed.ics", views.public_feed, name="feed"),
    path("<int:pk>/", views.event_page, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("organizations/<slug:slug>/feed.ics", views.organization_feed, name="organization_feed"),
    path("submit/", manage_views.submit, name="submit"),
    path("<int:pk>/edit/", manage_views.edit, name="edit"),
    path("calendars/", manage_views.calendars, name="calendars"),
    path("review/", manage_views.review_queue, name="review_queue"),
    path("<int:pk>/approve/", manage_views.approve, name="approve"),
    path("<int:pk>/reject/", manage_views.reject, name="reject"),
    path("my-calendar/", views.my_feed, name="my_feed"),
    path("my-calendar/revoke/", views.my_feed_revoke, name="my_feed_revoke"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
]

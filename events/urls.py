from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("feed.ics", views.public_feed, name="feed"),
    path("my-calendar/", views.my_feed, name="my_feed"),
    path("my-calendar/revoke/", views.my_feed_revoke, name="my_feed_revoke"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
]

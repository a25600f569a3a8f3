from django.contrib import admin
from django.urls import include, path

from config import health, views
from members import views as member_views
from webinars import views as webinar_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("i18n/setlang/", member_views.set_language, name="set_language"),
    path("timezone/", member_views.set_timezone, name="set_timezone"),
    path("zones/", member_views.zone_list, name="zone_list"),
    path("webinars/", include("webinars.urls")),
    path("events/communities/<slug:slug>/feed.ics", views.community_feed, name="community_feed"),
    path("events/", include("events.urls")),
    path("j/<str:token>", webinar_views.join, name="join"),
    path("j/<str:token>/qa/", webinar_views.join_qa, name="join_qa"),
    path("notifications/", include("notifications.urls")),
    path("communities/", include("communities.urls")),
    path("surveys/", include("surveys.urls")),
    path("library/", include("library.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("anymail/", include("notifications.webhook_urls")),
    path("admin/", admin.site.urls),
]

# 403 and 404 are Django's views with templates/403.html and 404.html (the request's
# context, so the layout is complete); the 500 page must not need the database.
handler500 = "config.errors.server_error"

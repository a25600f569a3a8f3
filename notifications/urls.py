from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="read_all"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("staff/suppressions/", views.suppression_list, name="suppressions"),
    path("staff/failed/", views.failed_emails, name="failed"),
]

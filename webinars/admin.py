"""The admin shows webinars; what has consequences changes through the product's pages.

A session's time, a webinar's status and a registration's status each come with emails,
calendar updates (SEQUENCE), seat locks and the waitlist, which only the services in
webinars.services handle. In the admin they are read-only, with a link to the page
that changes them properly."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.markdown import render_markdown_translations
from webinars.models import (
    Attendance,
    AttendanceImport,
    Registration,
    RegistrationQuestion,
    Series,
    Session,
    Topic,
    Webinar,
)


class SessionInline(admin.TabularInline):
    """Read-only: moving, resizing or cancelling a session is the organizer page's job
    (session_reschedule / session_cancel tell every registrant)."""

    model = Session
    extra = 0
    fields = [
        "title",
        "starts_at",
        "duration_minutes",
        "host_zone",
        "capacity",
        "status",
        "sequence",
        "manage",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("change"))
    def manage(self, session):
        url = reverse("webinars:session_edit", args=[session.webinar.slug, session.pk])
        return format_html('<a href="{}">{}</a>', url, _("Reschedule or cancel"))


class QuestionInline(admin.TabularInline):
    model = RegistrationQuestion
    extra = 0


@admin.register(Webinar)
class WebinarAdmin(TranslationAdmin):
    list_display = ["title", "status", "language", "created_at"]
    list_filter = ["status", "language", "platform"]
    search_fields = ["title_en", "title_es", "title_fr", "slug"]  # found in any language
    inlines = [SessionInline, QuestionInline]
    filter_horizontal = ["organizations", "topics"]
    # Cancelling cancels every session and tells every registrant: the edit page does it.
    readonly_fields = ["status"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        render_markdown_translations(obj, "description", "description_html")
        super().save_model(request, obj, form, change)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Who registered where, and their status, change through the registration services
    (seats are locked, the waitlist moves up, the person is told): read-only here."""

    list_display = ["email", "full_name", "webinar", "status", "country", "created_at"]
    list_filter = ["status"]
    search_fields = ["email", "full_name"]
    readonly_fields = [
        "webinar",
        "session",
        "member",
        "email",
        "status",
        "join_token",
        "join_first_clicked_at",
        "created_at",
        "status_changed_at",
    ]

    def has_add_permission(self, request):
        return False


admin.site.register(Topic, TranslationAdmin)
admin.site.register(Series, TranslationAdmin)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "session", "minutes", "guest"]
    search_fields = ["name", "email"]
    raw_id_fields = ["session", "registration"]


@admin.register(AttendanceImport)
class AttendanceImportAdmin(admin.ModelAdmin):
    list_display = ["session", "format", "status", "created_at"]
    raw_id_fields = ["session"]

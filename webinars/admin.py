from django.contrib import admin

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
    model = Session
    extra = 0
    fields = ["title", "starts_at", "duration_minutes", "host_zone", "capacity", "status"]


class QuestionInline(admin.TabularInline):
    model = RegistrationQuestion
    extra = 0


@admin.register(Webinar)
class WebinarAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "language", "created_at"]
    list_filter = ["status", "language", "platform"]
    search_fields = ["title", "slug"]
    inlines = [SessionInline, QuestionInline]
    filter_horizontal = ["organizations", "topics"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "webinar", "status", "country", "created_at"]
    list_filter = ["status"]
    search_fields = ["email", "full_name"]
    raw_id_fields = ["webinar", "session", "member"]


admin.site.register(Topic)
admin.site.register(Series)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "session", "minutes", "guest"]
    search_fields = ["name", "email"]
    raw_id_fields = ["session", "registration"]


@admin.register(AttendanceImport)
class AttendanceImportAdmin(admin.ModelAdmin):
    list_display = ["session", "format", "status", "created_at"]
    raw_id_fields = ["session"]

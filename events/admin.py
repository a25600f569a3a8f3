from django.contrib import admin

from events.models import CalendarSubscription, Event, PersonalFeed, Venue


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "zone", "status", "review", "owner"]
    list_filter = ["kind", "status", "review"]
    search_fields = ["title", "uid"]
    raw_id_fields = ["venue", "recurrence_of", "duplicate_of", "submitted_by", "source"]
    filter_horizontal = ["organizations", "topics"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "country", "zone"]
    readonly_fields = ["zone"]


@admin.register(CalendarSubscription)
class CalendarSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "organization", "active", "review_first", "last_polled_at", "last_error"]
    list_filter = ["active", "review_first"]
    readonly_fields = [
        "etag",
        "last_modified_header",
        "last_polled_at",
        "last_success_at",
        "last_error",
        "last_result",
    ]


admin.site.register(PersonalFeed)

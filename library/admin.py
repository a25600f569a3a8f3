"""The library in the admin. Publications: read here, changed through the library's own
pages (the review workflow logs every step and keeps the search index in step). The
theme tree is edited here, and the glossary and programme profiles."""

from django.contrib import admin

from library.admin_glossary import register_glossary_admin
from library.admin_programmes import register_programme_admin
from library.models import Publication, PublicationTransition, Theme
from library.services.themes import theme_save

register_glossary_admin(admin.site)
register_programme_admin(admin.site)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["path", "name_en", "name_es", "name_fr"]
    search_fields = ["slug", "name_en", "name_es", "name_fr"]
    readonly_fields = ["path"]
    fields = ["parent", "slug", "path", "name_en", "name_es", "name_fr"]

    def save_model(self, request, obj, form, change):
        # A move re-files the publications under the theme and reindexes them.
        theme_save(obj)


class TransitionInline(admin.TabularInline):
    model = PublicationTransition
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "year", "status", "file_status", "published_at"]
    list_filter = ["status", "kind", "language", "file_status"]
    search_fields = ["title", "doi"]
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

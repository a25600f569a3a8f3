"""Staff edit programme profiles in the admin."""

from django.contrib import admin

from library.models import Programme, ProgrammeCoverage


class CoverageInline(admin.TabularInline):
    model = ProgrammeCoverage
    extra = 0


class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "country", "kind", "start_year"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_en", "implementing_agency"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["webinars", "communities"]
    # Thousands of publications: searched by title or DOI rather than listed.
    autocomplete_fields = ["publications"]
    inlines = [CoverageInline]


def register_programme_admin(site: admin.AdminSite) -> None:
    site.register(Programme, ProgrammeAdmin)

"""Staff edit the glossary in the admin (or by CSV: /library/glossary/import/)."""

from django.contrib import admin
from django.utils.text import slugify

from library.models import Concept, ConceptSource, ConceptTerm


class ConceptTermInline(admin.StackedInline):
    model = ConceptTerm
    extra = 0
    fields = ["language", "term", "slug", "definition", "abbreviation", "synonyms"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []


class ConceptSourceInline(admin.TabularInline):
    model = ConceptSource
    extra = 0


class ConceptAdmin(admin.ModelAdmin):
    list_display = ["key", "updated_at"]
    search_fields = ["key", "terms__term"]
    filter_horizontal = ["see_also", "themes"]
    inlines = [ConceptTermInline, ConceptSourceInline]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, ConceptTerm) and not instance.slug:
                instance.slug = slugify(instance.term)[:110] or "term"
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


def register_glossary_admin(site: admin.AdminSite) -> None:
    site.register(Concept, ConceptAdmin)

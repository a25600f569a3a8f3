"""Staff edit the glossary in the admin (or by CSV: /library/glossary/import/)."""

from django.contrib import admin

from core.clock import now
from library.models import Concept, ConceptSource, ConceptTerm
from library.services.glossary import glossary_term_slug


class ConceptTermInline(admin.StackedInline):
    model = ConceptTerm
    extra = 0
    fields = ["language", "term", "slug", "definition", "abbreviation", "synonyms"]
    # Made from the term when the term is added (free of the language's other terms'
    # addresses and of the characters the page's URL cannot hold), never typed.
    readonly_fields = ["slug"]


class ConceptSourceInline(admin.TabularInline):
    model = ConceptSource
    extra = 0


class ConceptAdmin(admin.ModelAdmin):
    list_display = ["key", "updated_at"]
    search_fields = ["key", "terms__term"]
    filter_horizontal = ["see_also", "themes"]
    inlines = [ConceptTermInline, ConceptSourceInline]
    readonly_fields = ["created_at", "updated_at"]

    # `updated_at` says when an edit happened: the glossary's version (which linked
    # texts are cached under) is read from the terms' times, so an edit that kept them
    # left every page linking the old wording.
    def save_model(self, request, obj, form, change):
        if change:
            obj.updated_at = now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, ConceptTerm):
                instance.updated_at = now()
                if not instance.slug:
                    language = instance.language
                    instance.slug = glossary_term_slug(
                        instance.term,
                        taken=lambda slug, language=language: ConceptTerm.objects.filter(
                            language=language, slug=slug
                        ).exists(),
                    )
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


def register_glossary_admin(site: admin.AdminSite) -> None:
    site.register(Concept, ConceptAdmin)

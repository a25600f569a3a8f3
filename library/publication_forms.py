"""Forms of the publication pages: submit/edit and the reviewer's actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from library.models import Programme, Publication, Theme
from library.services.publications import PublicationData
from members.models import Organization
from webinars.regions import REGION_CHOICES


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea, required=False)
    authors = forms.CharField(
        label=_("Authors"),
        help_text=_("One person per line, as the publication names them."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations"),
        help_text=_("Authoring or publishing organizations."),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Publication.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Publication.Language.choices)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1800, max_value=2100)
    month = forms.IntegerField(
        label=_("Month (if known)"), required=False, min_value=1, max_value=12
    )
    day = forms.IntegerField(label=_("Day (if known)"), required=False, min_value=1, max_value=31)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("path"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        help_text=_("The country programmes it is about, if any."),
        queryset=Programme.objects.order_by("country", "name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=lambda: list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    doi = forms.CharField(label=_("DOI"), max_length=200, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=20, required=False)
    url = forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Publication.Licence.choices)
    file = forms.FileField(
        label=_("File (PDF or Office)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.odt,.odp,.ods"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].label_from_instance = lambda t: ("— " * t.depth) + t.name
        self.fields["programmes"].label_from_instance = lambda p: f"{p.name_en} ({p.country.name})"

    def data_object(self) -> PublicationData:
        c = self.cleaned_data
        return PublicationData(
            title=c["title"],
            kind=c["kind"],
            language=c["language"],
            abstract=c.get("abstract") or "",
            authors=_lines(c.get("authors") or ""),
            organization_ids=[o.pk for o in c.get("organizations") or []],
            year=c.get("year"),
            month=c.get("month"),
            day=c.get("day"),
            theme_ids=[t.pk for t in c.get("themes") or []],
            countries=list(c.get("countries") or []),
            regions=list(c.get("regions") or []),
            doi=c.get("doi") or "",
            isbn=c.get("isbn") or "",
            url=c.get("url") or "",
            licence=c["licence"],
            programme_ids=[p.pk for p in c.get("programmes") or []],
        )

    @staticmethod
    def initial_for(publication: Publication) -> dict:
        return {
            "title": publication.title,
            "abstract": publication.abstract,
            "authors": "\n".join(a.name for a in publication.authors.all()),
            "organizations": list(publication.organizations.all()),
            "kind": publication.kind,
            "language": publication.language,
            "year": publication.year,
            "month": publication.month,
            "day": publication.day,
            # The most specific themes (their ancestors are added back on saving).
            "themes": _leaf_themes(list(publication.themes.all())),
            "programmes": list(publication.programmes.all()),
            "countries": [str(c.country) for c in publication.country_rows.all()],
            "regions": [r.region for r in publication.region_rows.all()],
            "doi": publication.doi,
            "isbn": publication.isbn,
            "url": publication.url,
            "licence": publication.licence,
        }


def _leaf_themes(themes: list[Theme]) -> list[Theme]:
    paths = {t.path for t in themes}
    return [t for t in themes if not any(p.startswith(t.path + "/") for p in paths)]


class ChecklistForm(forms.Form):
    metadata = forms.BooleanField(label=_("Metadata complete"), required=False)
    taxonomy = forms.BooleanField(label=_("Taxonomy applied"), required=False)
    licence = forms.BooleanField(label=_("Licence allows sharing"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Comment or reason"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

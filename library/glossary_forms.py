from django import forms
from django.utils.translation import gettext_lazy as _


class GlossaryImportForm(forms.Form):
    file = forms.FileField(
        label=_("Glossary CSV file"),
        help_text=_(
            "One row per concept, UTF-8. Download the current glossary for the columns; "
            "rows with mistakes are listed and nothing is changed until every row is right."
        ),
    )

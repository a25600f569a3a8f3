"""Which community texts are written per language (see webinars/translation.py).

A community's name is its proper name, one for everyone (it is also how members
mention and search for it); its about text and rules are translated."""

from modeltranslation.translator import TranslationOptions, register

from communities.models import Community


@register(Community)
class CommunityTranslation(TranslationOptions):
    fields = ("description", "description_html", "rules", "rules_html")

"""Which webinar texts are written per language (django-modeltranslation adds a
`<field>_en`, `_es` and `_fr` column for each; reading `webinar.title` gives the
reader's language, or the first fallback language that has text).

Regions (webinars.regions) are code-defined labels, translated in the catalogues."""

from modeltranslation.translator import TranslationOptions, register

from webinars.models import Series, Topic, Webinar


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title",)


@register(Webinar)
class WebinarTranslation(TranslationOptions):
    # description_html is rendered from each language's Markdown by the service.
    fields = ("title", "description", "description_html")

"""Languages of content: their names as a sentence needs them, and which language of a
text a reader is shown.

Texts people write (a webinar's title, a community's rules) are stored per language
(`title_en`, `title_es`, `title_fr`; django-modeltranslation). A reader gets their own
language; where it has no text, the first language of the fallback order that has one
(`MODELTRANSLATION_FALLBACK_LANGUAGES`, the order `webinar.title` itself follows), and
the page says which with a marker: "(in English)", "(en inglés)", "(en anglais)".

Language names inside a sentence are lower-case in French and Spanish ("en français",
"anglais, espagnol"): Django's own names (`get_language_info`) are the capitalised forms
for menus, so sentences use the phrases below, translated whole in the catalogues.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import resolution_order

CONTENT_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)

# "in English": how a sentence says what language something is in ("Webinar in French",
# the marker "(in French)").
IN_LANGUAGE = {
    "en": _("in English"),
    "es": _("in Spanish"),
    "fr": _("in French"),
    "pt": _("in Portuguese"),
    "ar": _("in Arabic"),
    "ru": _("in Russian"),
    "zh": _("in Chinese"),
}

# A language's name in the middle of a sentence or a list ("interpretation: Spanish,
# French" is "interprétation : espagnol, français").
# (The context is written out in each call: makemessages extracts only literal contexts;
# a context held in a constant made every one of these entries obsolete.)
NAME_IN_SENTENCE = {
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "es": pgettext_lazy("language name inside a sentence", "Spanish"),
    "fr": pgettext_lazy("language name inside a sentence", "French"),
    "pt": pgettext_lazy("language name inside a sentence", "Portuguese"),
    "ar": pgettext_lazy("language name inside a sentence", "Arabic"),
    "ru": pgettext_lazy("language name inside a sentence", "Russian"),
    "zh": pgettext_lazy("language name inside a sentence", "Chinese"),
}


def language_name(code: str) -> str:
    """'French' / 'francés' / 'français' in the active language; an unknown code as is."""
    name = NAME_IN_SENTENCE.get(code)
    return str(name) if name is not None else code


def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def in_language(code: str) -> str:
    """'in French' / 'en francés' / 'en français'."""
    phrase = IN_LANGUAGE.get(code)
    return str(phrase) if phrase is not None else code


def reader_language(language: str | None = None) -> str:
    """One of the content languages: the one given, or the active one, else the default."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in CONTENT_LANGUAGES else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Shown:
    """The text a reader is shown, and the language it is in."""

    text: str
    language: str  # the language of `text`; the reader's when there is no text at all
    reader: str

    @property
    def is_fallback(self) -> bool:
        """True when the reader's language had no text and another language's is shown."""
        return bool(self.text) and self.language != self.reader

    @property
    def marker(self) -> str:
        """'(in English)' in the reader's language, or '' when no marker is due."""
        return f"({in_language(self.language)})" if self.is_fallback else ""

    def __str__(self) -> str:
        return self.text


def pick(texts: Mapping[str, str | None], reader: str | None = None) -> Shown:
    """The rule: the reader's language if it has text, else the first language of the
    fallback order that has some. Empty and blank texts count as missing."""
    reader = reader_language(reader)
    for code in resolution_order(reader):
        text = texts.get(code)
        if text and text.strip():
            return Shown(text=text, language=code, reader=reader)
    return Shown(text="", language=reader, reader=reader)


def shown(obj, field: str, reader: str | None = None) -> Shown:
    """`pick` over a translated model field's columns (`title_en`, `title_es`, ...)."""
    return pick({code: getattr(obj, f"{field}_{code}", None) for code in CONTENT_LANGUAGES}, reader)


def texts_of(obj, field: str) -> dict[str, str]:
    """A translated field's text per language ('' where there is none)."""
    return {code: getattr(obj, f"{field}_{code}", None) or "" for code in CONTENT_LANGUAGES}

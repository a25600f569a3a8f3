"""Texts written in several languages, shown in the reader's (core.languages).

    {% load languages %}
    <h1>{% translated webinar "title" %}</h1>
    {% translated webinar "description_html" %}      (sanitised HTML, a block)
    {% translated webinar "title" plain=True %}      (plain-text emails)
    {% marked item.title item.language %}            (a text whose language is known)
    {{ webinar.language|in_language }}               'in French' / 'en français'
    {{ webinar.interpretation_languages|language_names }}   'espagnol, français'

Where the reader's language has no text and another language's is shown, the text
carries a `lang` attribute (screen readers switch voice) and a marker in the reader's
language names the language shown: "(in English)", "(en inglés)", "(en anglais)".
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.languages import Shown, reader_language, shown
from core.languages import in_language as in_language_phrase
from core.languages import language_name as name_in_sentence
from core.languages import language_names as names_in_sentence
from core.text_links import text_links_apply

register = template.Library()


def render_shown(found: Shown, *, block: bool = False, plain: bool = False) -> str | SafeString:
    """`block`: the text is sanitised HTML (a description), shown as a block."""
    if plain:
        return f"{found.text} {found.marker}" if found.is_fallback else found.text
    if not found.is_fallback:
        return mark_safe(found.text) if block else found.text  # noqa: S308 (sanitised on save)
    if block:
        return format_html(
            '<p class="fallback-language"><small>{}</small></p><div lang="{}">{}</div>',
            found.marker,
            found.language,
            mark_safe(found.text),  # noqa: S308 (sanitised when it was saved)
        )
    return format_html(
        '<span lang="{}">{}</span> <small class="fallback-language">{}</small>',
        found.language,
        found.text,
        found.marker,
    )


@register.simple_tag
def translated(obj, field: str, plain: bool = False, links: bool = False):
    """A translated field of `obj` in the reader's (the active) language, marked when
    another language's text stands in. Fields ending in `_html` are sanitised HTML;
    `links=True` adds the registered links to it (core.text_links: glossary terms of
    the language shown)."""
    if obj is None or obj == "":
        return ""
    found = shown(obj, field)
    block = field.endswith("_html")
    if links and block and not plain and found.text:
        found = Shown(
            text=text_links_apply(found.text, language=found.language),
            language=found.language,
            reader=found.reader,
        )
    return render_shown(found, block=block, plain=plain)


@register.simple_tag
def marked(text: str, language: str = "", plain: bool = False):
    """A text already picked for the reader (a digest line), with its language."""
    reader = reader_language()
    found = Shown(text=text or "", language=language or reader, reader=reader)
    return render_shown(found, plain=plain)


@register.filter
def in_language(code: str) -> str:
    return in_language_phrase(code)


@register.filter
def language_name(code: str) -> str:
    return name_in_sentence(code)


@register.filter
def language_names(codes) -> str:
    return names_in_sentence(codes or [])

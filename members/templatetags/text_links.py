"""Links added to sanitised HTML at render time (core.text_links):

{% load text_links %}
{% linked_text post.body_html enabled=post.glossary_links %}
{% linked_text html language="es" %}
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.text_links import text_links_apply

register = template.Library()


@register.simple_tag
def linked_text(html: str, enabled: bool = True, language: str = "") -> SafeString:
    """`html` must be HTML sanitised when it was saved (core.markdown); the linkers keep
    it so. `enabled=False` (the text's author opted out) shows it as it is."""
    html = html or ""
    if enabled:
        html = text_links_apply(html, language=language)
    return mark_safe(html)  # noqa: S308 (sanitised on save; linkers escape what they add)

"""Links added to sanitised HTML when it is shown (the glossary's terms in a post).

Apps that show people's text (communities, webinars) sit below the library and cannot
import it; their templates call `text_links_apply` (through the `linked_text` tag in
members/templatetags/text_links.py) and the library, when installed, registers its
linker here from its AppConfig.ready(). With nothing registered the HTML comes back as
it was. A linker takes HTML that core.markdown sanitised and must return HTML as safe.

Any text rendered from Markdown can take part: a publication's abstract would be
`{% linked_text publication.abstract_html language=publication.language %}`.
"""

import logging
from collections.abc import Callable

TextLinker = Callable[[str, str], str]  # (sanitised HTML, language code or "") -> HTML
_linkers: list[TextLinker] = []


def text_linker_register(linker: TextLinker) -> None:
    """Called once from an AppConfig.ready(); registering the same linker twice is a no-op."""
    if linker not in _linkers:
        _linkers.append(linker)


def text_links_apply(html: str, *, language: str = "") -> str:
    """`html` (sanitised) with every registered linker's links; `language` is the text's
    language when known ("" matches terms of every language). A linker that fails is
    skipped: the text is shown without its links, never broken."""
    if not html:
        return html
    for linker in _linkers:
        try:
            html = linker(html, language)
        except Exception:
            logging.getLogger("baraza.text_links").exception("text linker failed")
    return html

"""Markdown written by people, turned into HTML that is safe to show anyone."""

import markdown as md
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
MAX_SOURCE = 50_000
# C0 (but tab and newlines), DEL, C1, and the bidirectional overrides used to disguise
# text ("Trojan source"); ordinary right-to-left writing does not need them.
CONTROL = {
    **dict.fromkeys(c for c in range(32) if c not in (9, 10, 13)),
    **dict.fromkeys(range(0x7F, 0xA0)),
    **dict.fromkeys(range(0x202A, 0x202F)),
    **dict.fromkeys(range(0x2066, 0x206A)),
}


def clean_source(text: str) -> str:
    """Drop control characters (except tab and newlines) and cap the length."""
    return text.translate(CONTROL)[:MAX_SOURCE]


def clean_line(text: str) -> str:
    """One line of plain text, such as a name: control characters and line breaks out,
    runs of spaces made one."""
    return " ".join(text.translate(CONTROL).split())


def render_markdown(text: str) -> str:
    html = md.markdown(clean_source(text or ""), extensions=["sane_lists", "tables"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown_translations(obj, source: str, html: str) -> None:
    """Render each language's Markdown (`<source>_en`, ...) into its HTML column
    (`<html>_en`, ...): every language is sanitised on its own."""
    from core.languages import CONTENT_LANGUAGES

    for code in CONTENT_LANGUAGES:
        text = getattr(obj, f"{source}_{code}", None) or ""
        setattr(obj, f"{html}_{code}", render_markdown(text) if text.strip() else "")

"""Glossary text machinery with no database in it: folding words for search and
matching, the term matcher, and linking terms in sanitised HTML.

Words are compared by a *key*: lower case, accents off, and a light plural fold (one
trailing "s", then one trailing "e", on words longer than three letters), so that
"Transferencias monetarias" meets "transferencia monetaria" and "pensiones" meets
"pensión". Patterns with capitals after their first letter (CCT, TMCs) are
abbreviations and match only as written.

Linking works on the HTML that core.markdown already sanitised, as text: tags are
copied through untouched, only text nodes outside <a>, <code>, <pre> and <abbr> are
read, and a text node that gains a link is re-escaped whole, so nothing in it can
become markup. What is inserted (an address made by `reverse`, the term's
definition in `title`) is escaped too.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"\w+")
# A tag as nh3 writes it: attribute values are double-quoted and may hold ">" raw.
TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
NO_LINKS_INSIDE = frozenset({"a", "code", "pre", "abbr"})
VOID = frozenset({"br", "hr", "img"})
JOINERS = frozenset(" -\u00a0\t\n\r\u2010\u2011")
TITLE_LIMIT = 160
LINK = '<a class="glossary-term" href="{url}" title="{title}" hreflang="{language}">{text}</a>'


def fold(text: str) -> str:
    """Lower case with accents off: 'Transferência' → 'transferencia'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The key a word is compared by (see the module's docstring)."""
    key = fold(word)
    if len(key) > 3 and key.endswith("s"):
        key = key[:-1]
    if len(key) > 3 and key.endswith("e"):
        key = key[:-1]
    return key


def keys_of(text: str) -> tuple[str, ...]:
    return tuple(word_key(w) for w in WORD.findall(text))


def is_abbreviation(text: str) -> bool:
    """'CCT', 'TMCs', 'PMT' (a capital after the first letter): matched as written."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and any(c.isupper() for c in letters[1:])


def short_definition(text: str, limit: int = TITLE_LIMIT) -> str:
    """The definition's first sentence, cut to `limit` characters."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Target:
    """Where a matched term links: its concept, its page and the tooltip."""

    concept_id: int
    url: str
    title: str
    language: str


@dataclass(frozen=True)
class Pattern:
    text: str  # a term, an abbreviation or a synonym
    target: Target


END = "\0"  # a trie node's key for "a pattern ends here" (never a word)


class Matcher:
    """Every pattern of a glossary (or of one of its languages) in two word tries: one
    over word keys (terms and synonyms), one over words as written (abbreviations). A
    text is read once, word by word; from each word the tries are walked only as far
    as the text still follows a pattern, and the longest pattern wins. No regular
    expression over the terms: the cost follows the text, not the glossary's size."""

    def __init__(self, patterns: Iterable[Pattern]):
        self._folded: dict = {}
        self._exact: dict = {}
        self.size = 0
        for pattern in patterns:
            if is_abbreviation(pattern.text):
                words, node = tuple(WORD.findall(pattern.text)), self._exact
            else:
                words, node = keys_of(pattern.text), self._folded
            if not words:
                continue
            for word in words:
                node = node.setdefault(word, {})
            if END not in node:  # the first pattern registered keeps a shared text
                node[END] = pattern.target
                self.size += 1

    @staticmethod
    def _walk(trie: dict, words: list[str], text: str, spans: list, i: int):
        """The longest pattern of `trie` starting at word i: (number of words, target)."""
        node = trie.get(words[i])
        if node is None:
            return None
        best, j, n = None, i, len(words)
        while node is not None:
            target = node.get(END)
            if target is not None:
                best = (j - i + 1, target)
            j += 1
            if j >= n or not set(text[spans[j - 1][1] : spans[j][0]]) <= JOINERS:
                break
            node = node.get(words[j])
        return best

    def find(self, text: str, linked: set[int]) -> list[tuple[int, int, Target]]:
        """(start, end, target) of the first occurrence in `text` of each concept not in
        `linked` (which it updates). Words of a pattern may be joined by spaces or hyphens."""
        spans = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        if not spans:
            return []
        raw = [span[2] for span in spans]
        keys = [word_key(word) for word in raw]
        found: list[tuple[int, int, Target]] = []
        i, n = 0, len(spans)
        exact_trie, folded_trie = self._exact, self._folded
        while i < n:
            if raw[i] not in exact_trie and keys[i] not in folded_trie:
                i += 1
                continue
            exact = self._walk(exact_trie, raw, text, spans, i)
            folded = self._walk(folded_trie, keys, text, spans, i)
            match = exact if folded is None or (exact and exact[0] > folded[0]) else folded
            if match is None:
                i += 1
                continue
            size, target = match
            if target.concept_id not in linked:
                linked.add(target.concept_id)
                found.append((spans[i][0], spans[i + size - 1][1], target))
            i += size
        return found


def _link(text: str, matcher: Matcher, linked: set[int]) -> str | None:
    """One text node (escaped HTML) with its terms linked; None when nothing matched."""
    plain = html.unescape(text)
    found = matcher.find(plain, linked)
    if not found:
        return None
    out, at = [], 0
    for start, end, target in found:
        out.append(html.escape(plain[at:start], quote=False))
        out.append(
            LINK.format(
                url=html.escape(target.url),
                title=html.escape(target.title),
                language=html.escape(target.language),
                text=html.escape(plain[start:end], quote=False),
            )
        )
        at = end
    out.append(html.escape(plain[at:], quote=False))
    return "".join(out)


def link_terms(sanitised_html: str, matcher: Matcher) -> str:
    """`sanitised_html` with the first occurrence of each concept's term linked."""
    out: list[str] = []
    linked: set[int] = set()
    depth = 0  # how many <a>/<code>/<pre>/<abbr> the text is inside
    at = 0
    for tag in TAG.finditer(sanitised_html):
        text = sanitised_html[at : tag.start()]
        if text:
            out.append((None if depth else _link(text, matcher, linked)) or text)
        out.append(tag.group())
        name = (tag.group(2) or "").lower()
        if name in NO_LINKS_INSIDE and name not in VOID and not tag.group().endswith("/>"):
            depth = max(depth - 1, 0) if tag.group(1) else depth + 1
        at = tag.end()
    text = sanitised_html[at:]
    if text:
        out.append((None if depth else _link(text, matcher, linked)) or text)
    return "".join(out)

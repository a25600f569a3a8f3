"""Words and stems: how publication text is cut into words and reduced to stems for the
embedded (SQLite FTS5) search, whose own tokenizers stem only English.

A document is stemmed once, in its own language; a query does not say its language, so
each query word is stemmed in every supported language and the stems are alternatives.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STEMMED_LANGUAGES = {"en": "english", "es": "spanish", "fr": "french"}
WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 12


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMED_LANGUAGES[language])


def words(text: str) -> list[str]:
    """Lower-cased words (letters and digits), underscores dropped."""
    return [w for w in WORD.findall((text or "").casefold().replace("_", " ")) if w]


def fold(word: str) -> str:
    """Accents removed, as FTS5's unicode61 tokenizer (remove_diacritics 2) does."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Snowball in pure Python costs ~0.1 ms a word; a language's words repeat (Zipf), so
# each distinct word is stemmed once per process. Bounded: cleared when it fills.
_STEMS: dict[str, dict[str, str]] = {language: {} for language in STEMMED_LANGUAGES}
STEM_CACHE_SIZE = 200_000


def stem(word: str, language: str) -> str:
    if language not in STEMMED_LANGUAGES:
        return word
    known = _STEMS[language]
    found = known.get(word)
    if found is None:
        if len(known) >= STEM_CACHE_SIZE:
            known.clear()
        found = known[word] = _stemmer(language).stemWord(word)
    return found


def stemmed_text(text: str, language: str) -> str:
    """The text as it goes into FTS5: each word replaced by its stem in `language`."""
    if language not in STEMMED_LANGUAGES:
        return " ".join(words(text))
    return " ".join(stem(word, language) for word in words(text))


def query_words(query: str) -> list[str]:
    return words(query)[:MAX_QUERY_WORDS]


def query_alternatives(word: str) -> list[str]:
    """The forms a query word may take in an indexed document: itself and its stem in
    each language (de-duplicated, accents folded as the index folds them)."""
    forms = {fold(word)}
    for language in STEMMED_LANGUAGES:
        forms.add(fold(stem(word, language)))
    return sorted(f for f in forms if f)


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression: every query word must match one of its forms. Each form is
    a quoted string, so nothing a visitor types is read as FTS5 syntax."""
    groups = []
    for word in query_words(query):
        forms = " OR ".join('"' + form.replace('"', "") + '"' for form in query_alternatives(word))
        groups.append(f"({forms})")
    return " AND ".join(groups)

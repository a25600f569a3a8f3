"""Text people write: cleaned of control characters, length-checked, watched words found."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.markdown import CONTROL

MAX_TITLE = 200
MAX_POST = 20_000
MAX_CHAT = 2_000
MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]{0,78})", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Control characters out (tab and newlines stay), Windows newlines made plain."""
    return text.replace("\r\n", "\n").translate(CONTROL).strip()


def excerpt(text: str, length: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def mention_handles(text: str) -> set[str]:
    return {match.lower() for match in MENTION.findall(text)}


def handle_base(name: str) -> str:
    return (slugify(unicodedata.normalize("NFKD", name)) or "member")[:60]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


# A token is a run of letters/digits (any script) or one other non-space character. This
# pattern is fixed: no regular expression is ever built from what moderators type.
TOKEN = re.compile(r"\w+|[^\w\s]")
WORD_CHAR = re.compile(r"\w")
WILDCARD = "*"


def word_tokens(text: str) -> list[str]:
    """The text as casefolded tokens: "Loans, QUICK  cash!" -> loans , quick cash !"""
    return TOKEN.findall(_fold(text))


def watched_word_problem(word: str) -> str | None:
    """Why a moderator cannot watch `word` (None: they can). A `*` may only end the
    last word (`educat*`): inner wildcards made matching cost grow explosively."""
    word = " ".join(word.split())
    if not word.rstrip(WILDCARD).strip():
        return _("Enter a word or phrase.")
    if WILDCARD in word[:-1] or (word.endswith(WILDCARD) and not WORD_CHAR.match(word[-2:-1])):
        return _(
            "A * may only end a word, as in “educat*” (educator, education…); "
            "it cannot stand inside or before a word."
        )
    return None


@dataclass(frozen=True)
class WordHit:
    word: str
    action: str


ACTION_WEIGHT = {"block": 3, "hold": 2, "flag": 1}


@dataclass(frozen=True)
class _Watched:
    hit: WordHit
    tokens: tuple[str, ...]
    prefix: bool  # the last token matches any word it begins


def _watched(word: str, action: str) -> _Watched | None:
    folded = _fold(word).strip()
    prefix = folded.endswith(WILDCARD) and bool(WORD_CHAR.match(folded[-2:-1]))
    if prefix:
        folded = folded[:-1]
    # A `*` elsewhere (stored before it was refused) is an ordinary character here: it
    # matches a literal `*`, never "anything", so it cannot make matching expensive.
    tokens = tuple(TOKEN.findall(folded))
    if not tokens or action not in ACTION_WEIGHT:
        return None
    return _Watched(WordHit(word, action), tokens, prefix)


class WordMatcher:
    """A community's watched words, compiled once into lookup tables. Finding them in a
    text costs one pass over its tokens: a dictionary lookup per token for whole words
    and phrases (then a comparison of the phrase's next few tokens), and one lookup per
    distinct prefix length (at most 100) for `word*` entries. No backtracking."""

    def __init__(self, words):
        self.by_first: dict[str, list[_Watched]] = {}
        self.prefixes: dict[int, dict[str, list[_Watched]]] = {}
        for entry in words:
            watched = _watched(entry.word, entry.action)
            if watched is None:
                continue
            first = watched.tokens[0]
            if watched.prefix and len(watched.tokens) == 1:
                table = self.prefixes.setdefault(len(first), {})
                table.setdefault(first, []).append(watched)
            else:
                self.by_first.setdefault(first, []).append(watched)
        self.prefix_lengths = sorted(self.prefixes)

    def __bool__(self) -> bool:
        return bool(self.by_first or self.prefixes)

    @staticmethod
    def _rest_matches(watched: _Watched, tokens: list[str], start: int) -> bool:
        want = watched.tokens
        if start + len(want) > len(tokens):
            return False
        last = len(want) - 1
        for offset in range(1, len(want)):
            token = tokens[start + offset]
            if offset == last and watched.prefix:
                if not token.startswith(want[offset]):
                    return False
            elif token != want[offset]:
                return False
        return True

    def _candidates(self, tokens: list[str], index: int):
        token = tokens[index]
        for watched in self.by_first.get(token, ()):
            if self._rest_matches(watched, tokens, index):
                yield watched
        for length in self.prefix_lengths:
            if length > len(token):
                break
            yield from self.prefixes[length].get(token[:length], ())

    def strongest(self, *texts: str) -> WordHit | None:
        """The watched word with the strongest action (block > hold > flag) in any text."""
        if not self:
            return None
        best = None
        for text in texts:
            if not text:
                continue
            tokens = word_tokens(text)
            for index in range(len(tokens)):
                for watched in self._candidates(tokens, index):
                    if (
                        best is None
                        or ACTION_WEIGHT[watched.hit.action] > ACTION_WEIGHT[best.action]
                    ):
                        best = watched.hit
                        if best.action == "block":
                            return best
        return best


def strongest_hit(words, *texts: str) -> WordHit | None:
    """The watched word with the strongest action (block > hold > flag) in any text."""
    return WordMatcher(words).strongest(*texts)

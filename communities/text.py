"""Text people write: cleaned of control characters, length-checked, watched words found."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify

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


@dataclass(frozen=True)
class WordHit:
    word: str
    action: str


ACTION_WEIGHT = {"block": 3, "hold": 2, "flag": 1}


def word_pattern(word: str) -> re.Pattern:
    """A whole word or phrase, case-insensitively, any spacing between its words;
    `*` matches the rest of a word (`loan*` finds loans)."""
    tokens = [
        r"\w*".join(re.escape(part) for part in piece.split("*")) for piece in _fold(word).split()
    ]
    return re.compile(r"(?<!\w)" + r"\s+".join(tokens) + r"(?!\w)")


def strongest_hit(words, *texts: str) -> WordHit | None:
    """The watched word with the strongest action (block > hold > flag) in any text."""
    folded = "\n".join(_fold(text) for text in texts if text)
    best = None
    for word in words:
        if word_pattern(word.word).search(folded):
            if best is None or ACTION_WEIGHT[word.action] > ACTION_WEIGHT[best.action]:
                best = WordHit(word.word, word.action)
    return best

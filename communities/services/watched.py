"""What a community's watched words decide about a text: publish it, hold it for approval,
publish and flag it, or refuse it. Posts, replies, edits and chat messages all ask here."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from communities.models import WatchedWord
from communities.text import WordHit, strongest_hit

Action = WatchedWord.Action


@dataclass(frozen=True)
class WordDecision:
    outcome: str  # "publish", "hold", "flag" or "block"
    hit: WordHit | None = None  # the word that decided; only a plain publish has none

    def __post_init__(self) -> None:
        if self.hit is None and self.outcome != "publish":
            raise ValueError(f"a {self.outcome!r} decision names the watched word")

    @property
    def word(self) -> str:
        """The watched word that held, flagged or refused the text ("" for a plain publish)."""
        return self.hit.word if self.hit is not None else ""

    @property
    def blocked(self) -> bool:
        return self.outcome == "block"

    @property
    def held(self) -> bool:
        return self.outcome == "hold"

    @property
    def flagged(self) -> bool:
        return self.outcome == "flag"

    @property
    def reason(self) -> str:
        """For the review queue and the author: which word held or flagged the text."""
        if self.hit is None or self.outcome == "publish":
            return ""
        return _("Contains the watched word “%(word)s”") % {"word": self.word}


PUBLISH = WordDecision("publish")


def watched_word_decision(
    *, community_id: int | None, texts: Sequence[str], moderator: bool, may_hold: bool = True
) -> WordDecision:
    """The strongest watched word in `texts` decides. A moderator's own words are not
    held (they would approve them anyway); where nothing can wait for approval
    (`may_hold=False`, e.g. editing a chat message already seen), a hold word refuses."""
    if community_id is None:
        return PUBLISH
    hit = strongest_hit(WatchedWord.objects.filter(community_id=community_id), *texts)
    if hit is None:
        return PUBLISH
    if hit.action == Action.BLOCK:
        return WordDecision("block", hit)
    if hit.action == Action.HOLD:
        if not may_hold:
            return WordDecision("block", hit)
        return WordDecision("publish", hit) if moderator else WordDecision("hold", hit)
    return WordDecision("flag", hit)

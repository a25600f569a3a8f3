"""Watched words: only a trailing `*` is accepted, matching costs one pass over the text
whatever moderators type, and the decisions (block, hold, flag) are made in one place and
reach the post page and the chat socket as before."""

import re
import sys
from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from communities import text
from communities.models import ChatMessage, ContentStatus, Flag, ReviewItem, Thread, WatchedWord
from communities.services import spaces
from tests.communities.chat_helpers import community_path, frame, joined, open_socket, send

HOSTILE = ["a*a*a*a*b", "a*a*a*a*a*a*a*a*c", "*a*", "a a a a a a a a a b", "(a+)+$"]


def words(*pairs):
    return [SimpleNamespace(word=word, action=action) for word, action in pairs]


@pytest.mark.parametrize("word", ["a*a*a*a*b", "lo*an", "*loan", "loan **", "quick * cash", "*"])
def test_a_star_inside_or_before_a_word_is_refused_with_a_field_error(
    client, community, moderator, word
):
    client.force_login(moderator)
    response = client.post(
        f"/communities/{community.slug}/settings/words/", {"word": word, "action": "block"}
    )
    assert response.status_code == 400
    errors = response.context["word_form"].errors["word"]
    assert errors and ("may only end a word" in errors[0] or "Enter a word" in errors[0])
    assert "may only end a word" in response.content.decode() or word.strip("* ") == ""
    assert not WatchedWord.objects.exists()
    json = client.post(
        f"/communities/{community.slug}/settings/words/",
        {"word": word, "action": "block"},
        HTTP_ACCEPT="application/json",
    )
    assert json.status_code == 400 and json.json()["ok"] is False
    # the service refuses it too, on the word field, whoever calls it
    with pytest.raises(ValidationError) as refused:
        spaces.watched_word_add(community=community, actor=moderator, word=word, action="block")
    assert "word" in refused.value.message_dict
    assert not WatchedWord.objects.exists()


def test_a_trailing_star_and_phrases_are_accepted(client, community, moderator):
    client.force_login(moderator)
    for word in ("educat*", "quick cash", "Straße*", "c++"):
        response = client.post(
            f"/communities/{community.slug}/settings/words/", {"word": word, "action": "flag"}
        )
        assert response.status_code == 302, word
    assert sorted(WatchedWord.objects.values_list("word", flat=True)) == sorted(
        ["educat*", "quick cash", "Straße*", "c++"]
    )


def test_matching_builds_no_pattern_from_watched_words_and_its_work_grows_linearly(
    monkeypatch,
):
    """Time-independent: no regular expression is compiled from a watched word (the old
    matcher turned `a*a*a*a*b` into a backtracking regex: ~13 s per 400 characters), and
    the matcher's work (Python lines run) for 2n characters is at most twice that for n."""
    compiled = []
    original = re._compile  # what re.compile, re.search, re.findall… all go through

    def spy(pattern, flags):
        compiled.append(pattern)
        return original(pattern, flags)

    monkeypatch.setattr(re, "_compile", spy)
    hostile = words(*((w, "block") for w in HOSTILE), ("a*", "flag"), ("aaaaab*", "hold"))
    assert text.strongest_hit(hostile, "a" * 40 + " zzz") is not None
    assert compiled == [], compiled

    def work(body: str) -> int:
        lines = 0

        def tracer(frame, event, arg):
            nonlocal lines
            if frame.f_code.co_filename == text.__file__:
                if event == "line":
                    lines += 1
                return tracer
            return None

        sys.settrace(tracer)
        try:
            text.strongest_hit(hostile, body)
        finally:
            sys.settrace(None)
        return lines

    for piece in ("a", "a ", "a* ", "aaaaa ", "a a a a a a a a a c "):
        n, two_n, three_n = (work(piece * 200 * k) for k in (1, 2, 3))
        # linear: each further n characters cost the same (a quadratic cost would grow)
        first, second = two_n - n, three_n - two_n
        assert abs(second - first) <= 0.02 * first + 50, (piece, n, two_n, three_n)
        assert two_n <= 2.1 * n + 50, (piece, n, two_n)


def test_old_inner_stars_match_only_a_written_star():
    """Stored before they were refused: safe (a literal `*`), never a wildcard."""
    stored = words(("f*ck", "block"))
    assert text.strongest_hit(stored, "what the f*ck") == text.WordHit("f*ck", "block")
    assert text.strongest_hit(stored, "freak fleck fuck") is None
    assert text.strongest_hit(stored, "f" + "a" * 5000 + "ck") is None


def test_words_phrases_and_prefixes_match_whole_tokens_case_and_width_folded():
    watched = words(("loan*", "hold"), ("quick cash", "flag"), ("CASINO", "block"), ("c++", "flag"))
    assert text.strongest_hit(watched, "LOANS for all") == text.WordHit("loan*", "hold")
    assert text.strongest_hit(watched, "payday-loan!") == text.WordHit("loan*", "hold")
    assert text.strongest_hit(watched, "Get QUICK \n  cash") == text.WordHit("quick cash", "flag")
    assert text.strongest_hit(watched, "ｃａｓｉｎｏ night") == text.WordHit("CASINO", "block")
    assert text.strongest_hit(watched, "I write c++ daily") == text.WordHit("c++", "flag")
    assert text.strongest_hit(watched, "casinos, quickcash, sloan, c") is None
    # block wins over hold and flag wherever it is
    assert text.strongest_hit(watched, "loans, quick cash, casino").action == "block"


def test_the_post_page_blocks_holds_and_flags(client, community, ama, moderator):
    for word, action in (("casino", "block"), ("loan*", "hold"), ("quick cash", "flag")):
        spaces.watched_word_add(community=community, actor=moderator, word=word, action=action)
    WatchedWord.objects.create(community=community, word="a*a*a*a*b", action="block")
    client.force_login(ama)
    page = f"/communities/{community.slug}/threads/new/"
    blocked = client.post(page, {"title": "Casino night", "body": "Come"})
    assert blocked.status_code == 200 and "does not allow" in blocked.content.decode()
    assert not Thread.objects.exists()
    assert client.post(page, {"title": "Loans", "body": "Ask me"}).status_code == 302
    assert client.post(page, {"title": "Q", "body": "quick  CASH"}).status_code == 302
    long = client.post(page, {"title": "A", "body": "a" * 400 + " " + "a " * 200})
    assert long.status_code == 302
    statuses = dict(Thread.objects.values_list("title", "status"))
    assert statuses == {
        "Loans": ContentStatus.HELD,
        "Q": ContentStatus.VISIBLE,
        "A": ContentStatus.VISIBLE,
    }
    assert sorted(ReviewItem.objects.values_list("kind", flat=True)) == [
        "flagged_post",
        "held_post",
    ]


@pytest.mark.django_db(transaction=True)
async def test_the_chat_socket_flags_an_edit_that_adds_a_flag_word(community, ama, moderator):
    db = database_sync_to_async
    await db(spaces.watched_word_add)(
        community=community, actor=moderator, word="idiot*", action="flag"
    )
    await db(WatchedWord.objects.create)(community=community, word="a*a*a*a*b", action="block")
    author = await open_socket(community_path(community), ama)
    await joined(author)
    await send(author, "a" * 400)  # the old matcher spent seconds here
    message_id = (await frame(author, "message.new"))["message"]["id"]
    await author.send_json_to({"type": "message.edit", "id": message_id, "body": "idiots"})
    await frame(author, "message.edited")
    flag = await db(Flag.objects.get)()
    assert (flag.message_id, flag.flagged_by_id, flag.detail) == (message_id, None, "idiot*")
    kinds = await sync_to_async(lambda: list(ReviewItem.objects.values_list("kind", flat=True)))()
    assert kinds == ["flagged_message"]
    assert await db(ChatMessage.objects.count)() == 1
    await author.disconnect()

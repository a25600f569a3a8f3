"""Hostile Markdown and chat: stored safely, rendered inert everywhere it is shown."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError

from communities.services import posts, review
from communities.text import MAX_POST

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<img src=x onerror="alert(1)">Title'
HOSTILE_BODY = "\n\n".join(
    [
        "<script>alert('body')</script>",
        '<img src="x" onerror="alert(2)">',
        '<a href="javascript:alert(3)">click</a>',
        "[md link](javascript:alert(4))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        '<div style="background:url(javascript:alert(6))">styled</div>',
        "<svg onload=alert(7)>",
        "bell\x07 escape\x1b[2J null\x00 bidi\u202etxt.exe",
    ]
)
DANGEROUS = [
    "<script",
    "onerror",
    "onload",
    "javascript:",
    "<iframe",
    "<svg",
    "style=",
    "data:text",
]


def inert(html: str) -> bool:
    lowered = html.lower()
    return not any(marker in lowered for marker in DANGEROUS)


@pytest.fixture
def hostile_thread(community, ama):
    return posts.thread_create(
        community=community, author=ama, title=HOSTILE_TITLE, body=HOSTILE_BODY
    )


def test_hostile_markdown_is_stored_and_rendered_inert(hostile_thread):
    post = hostile_thread.posts.get()
    assert "<script>alert('body')</script>" in post.body  # kept as written, for the record
    assert "\x00" not in post.body and "\x1b" not in post.body and "\u202e" not in post.body
    assert inert(post.body_html)
    assert "click" in post.body_html and "md link" in post.body_html  # the text stays


class ActiveContent(HTMLParser):
    """Collects anything in a page that could run: inline scripts, handlers, bad URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(("inline script", values))
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append((tag, values))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"{tag} {name}", value))
            if name in ("href", "src", "action", "formaction") and value and value != "data:,":
                if value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append((f"{tag} {name}", value))


def active_content(html: str) -> list:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def test_every_page_that_shows_it_keeps_it_inert(
    hostile_thread, community, moderator, client, kofi
):
    post = hostile_thread.posts.get()
    review.post_flag(post=post, member=kofi, reason="spam")
    client.force_login(moderator)
    pages = [
        f"/communities/{community.slug}/",
        f"/communities/{community.slug}/threads/{hostile_thread.pk}/",
        f"/communities/{community.slug}/search/?q=Title",
        f"/communities/{community.slug}/posts/{post.pk}/history/",
        "/communities/moderation/",
        "/communities/moderation/?fragment=queue",
        "/notifications/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert active_content(response.content.decode()) == [], url
    feed = ElementTree.fromstring(client.get(f"/communities/{community.slug}/feed/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    (entry,) = feed.findall(f"{atom}entry")
    assert entry.find(f"{atom}title").text == HOSTILE_TITLE  # plain text in Atom
    assert active_content(entry.find(f"{atom}summary").text) == []  # the HTML is inert


def test_huge_bodies_are_refused_with_a_clear_error(community, ama):
    with pytest.raises(ValidationError, match="limited"):
        posts.thread_create(community=community, author=ama, title="Big", body="x" * (MAX_POST + 1))
    with pytest.raises(ValidationError):
        posts.thread_create(community=community, author=ama, title="x" * 201, body="Fine")


def test_a_huge_form_post_is_a_form_error_not_a_500(community, ama, client):
    client.force_login(ama)
    response = client.post(
        f"/communities/{community.slug}/threads/new/", {"title": "Big", "body": "x" * 100_000}
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content


def test_control_characters_are_dropped_from_titles(community, ama):
    thread = posts.thread_create(
        community=community, author=ama, title="Hello\x00\x1b World\u202e", body="x"
    )
    assert thread.title == "Hello World"

"""The web server's request body cap follows the views' upload caps unless set, and its
refusal page says the limit in each of the site's languages."""

from config.request_body import refusal_pages, request_body_cap
from core.uploads import BODY_MARGIN


def test_the_default_cap_is_the_largest_upload_plus_the_form_margin(settings):
    settings.MAX_REQUEST_BODY = 0
    settings.LIBRARY_FILE_MAX_BYTES = 100 * 1024 * 1024
    assert request_body_cap() == 100 * 1024 * 1024 + BODY_MARGIN
    settings.LIBRARY_FILE_MAX_BYTES = 1024
    settings.COMMUNITY_ATTACHMENT_MAX_BYTES = 40 * 1024 * 1024
    assert request_body_cap() == 40 * 1024 * 1024 + BODY_MARGIN
    settings.COMMUNITY_ATTACHMENT_MAX_BYTES = 1024
    settings.EVENTS_FEED_MAX_BYTES = 1024
    # The attendance report's 30 MB is then the largest upload.
    assert request_body_cap() == 30 * 1024 * 1024 + BODY_MARGIN


def test_the_setting_wins(settings):
    settings.MAX_REQUEST_BODY = 4096
    assert request_body_cap() == 4096


def test_the_refusal_is_a_whole_413_answer_in_each_language(settings):
    pages = refusal_pages(50 * 1024 * 1024)
    assert set(pages) == {code for code, _name in settings.LANGUAGES}
    for language, answer in pages.items():
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413 ")
        assert b"Content-Length: %d" % len(body) in head
        assert f'lang="{language}"'.encode() in body
    assert "50.0\xa0MB" in pages["en"].decode()
    assert "Trop volumineux" in pages["fr"].decode() and "50,0\xa0Mio" in pages["fr"].decode()
    assert "Demasiado grande" in pages["es"].decode()

"""Pressing a button of a page the way a browser without JavaScript does: post its form
(its action and hidden fields) and follow the redirects."""

import html
import re

FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def press(client, url: str, button: str):
    """Post the form of `url`'s page whose button reads `button`; the final response."""
    page = client.get(url)
    assert page.status_code == 200, url
    for action, body in FORM.findall(page.content.decode()):
        if re.search(rf"<button[^>]*>{re.escape(html.escape(button))}</button>", body):
            data = {name: html.unescape(value) for name, value in HIDDEN.findall(body)}
            return client.post(html.unescape(action), data, follow=True)
    raise AssertionError(f"no button {button!r} on {url}")


def buttons(content: bytes) -> list[str]:
    """The text of every button of a page."""
    return [
        html.unescape(text)
        for text in re.findall(r"<button[^>]*>([^<]*)</button>", content.decode())
    ]

"""Counting the queries a page makes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url: str, **params: str) -> int:
    """How many queries one visit to the page makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)

from datetime import UTC, datetime

import pytest

from core import clock
from monitoring import recording

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)


@pytest.fixture(autouse=True)
def recording_on(settings):
    """Recording on, a large buffer written only when the test flushes it."""
    settings.USAGE_RECORDING = True
    settings.USAGE_FLUSH_SECONDS = 0
    settings.USAGE_BUFFER_SIZE = 10_000
    recording.flush_discard()
    recording.forget_salts()
    yield
    recording.flush_discard()
    recording.forget_salts()


@pytest.fixture
def frozen():
    with clock.travel(NOW):
        yield NOW


@pytest.fixture
def browser(client):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client

import pytest

from tests.webinars.conftest import (  # noqa: F401 - shared fixtures
    frozen,
    organization,
    organizer,
    register,
    webinar_factory,
)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run everything queued on commit (tasks run eagerly) inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

from tests.webinars.conftest import (  # noqa: F401 - shared fixtures
    frozen,
    organization,
    organizer,
    register,
    webinar_factory,
)

"""Settings for the test run: the project's own, on a developer's machine.

`DEBUG` defaults to off in config/settings.py (production). The suite runs the way
`make run` does, with `DEBUG=1` in the environment unless the caller set it: the
import-time defaults that follow from it (a SECRET_KEY generated into var/, local
ALLOWED_HOSTS, cookies and links over plain http) are what the test client and the
browser tests' servers, which inherit this environment, need. pytest-django still runs
every test with `settings.DEBUG` False; the production defaults are checked by
tests/config/test_configuration.py in processes started with `DEBUG=0`.
"""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403

# Usage recording is switched on by the tests that check it (tests/monitoring); elsewhere
# page views would pile up in the buffer. No background writer: events are written in the
# test's own thread and transaction.
USAGE_RECORDING = False
USAGE_FLUSH_SECONDS = 0

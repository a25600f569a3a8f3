"""One test-only hook: a named point where a worker can be made to stop, to be killed there.

The integration tests that SIGKILL a worker mid-task (tests/integration/test_exactly_once.py)
start it with BARAZA_PAUSE_AT=<point name> and BARAZA_PAUSE_FILE=<path>. When the task
reaches `pause_point(<that name>)` it creates the file (the test waits for it) and sleeps
until it is killed. Nothing sets these variables outside those tests; without them the
call is one dictionary lookup.
"""

import os
import time
from pathlib import Path


def pause_point(name: str) -> None:
    if os.environ.get("BARAZA_PAUSE_AT") != name:
        return
    Path(os.environ["BARAZA_PAUSE_FILE"]).touch()
    while True:  # pragma: no cover - ends by SIGKILL
        time.sleep(60)

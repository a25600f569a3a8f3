"""Settings of the bench server: the project's own, plus the ceiling view (bench/urls.py).

Everything else comes from the environment the harness sets (DEBUG=0, a fresh database...).
"""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]

"""The library's models, one module per part: publications (works, files, taxonomy, review,
downloads), glossary (concepts and their terms per language) and programmes (country
programme profiles)."""

from library.models.glossary import *  # noqa: F403
from library.models.programmes import *  # noqa: F403
from library.models.publications import *  # noqa: F403

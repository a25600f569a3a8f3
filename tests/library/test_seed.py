import pytest

from library.models import DownloadCount, Publication
from library.publication_seeding import seed_publications
from library.search.service import publication_search
from members.seeding import seed_members

pytestmark = pytest.mark.django_db


def test_demo_library_is_populated_searchable_and_seeded_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_members()
    first = seed_publications()
    assert first["created"] >= 15
    assert publication_search(query="transferts").total >= 2
    assert publication_search(query="pensiones").total >= 1
    with_files = Publication.objects.exclude(file="")
    assert with_files.exists() and all(p.file_status == "ready" and p.cover for p in with_files)
    assert DownloadCount.objects.exists()
    queued = Publication.objects.get(status="submitted")
    assert queued.possible_duplicate is not None
    assert seed_publications()["created"] == 0
    assert Publication.objects.count() == first["publications"]

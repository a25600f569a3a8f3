"""The library's worker tasks (thin: ids in, a service does the work)."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def publication_file_process(publication_id: int) -> str:
    """Extract a publication file's text and draw its cover; idempotent."""
    from library.services.publications_files import publication_file_process as process

    return process(publication_id=publication_id)

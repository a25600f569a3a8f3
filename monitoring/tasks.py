"""Thin tasks (beat): roll finished days up, purge raw events, send monthly reports.
Each is idempotent: run twice, the same counts and the same emails."""

from celery import shared_task

from monitoring import services


@shared_task(acks_late=True)
def usage_rollup() -> int:
    return len(services.usage_rollup_pending())


@shared_task(acks_late=True)
def usage_purge() -> int:
    services.usage_rollup_pending()
    services.export_jobs_purge()
    return services.usage_purge_raw()


@shared_task(acks_late=True)
def partner_reports_send() -> int:
    """Beat runs it daily; last month's reports go once (on the 1st, or the first run
    after it), every later run finds them made."""
    from monitoring.reports import partner_reports_send as send

    services.usage_rollup_pending()  # the month's last day counts too
    return sum(outcome.sent for outcome in send())


@shared_task(acks_late=True)
def export_build(job_id: int) -> str:
    return services.export_job_build(job_id=job_id)

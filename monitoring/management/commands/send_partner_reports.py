"""`send_partner_reports [--month YYYY-MM]`: each partner organization's monthly report,
once (run again, nothing more is sent)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from monitoring.reports import partner_reports_send


class Command(BaseCommand):
    help = "Email each partner organization's admins their monthly figures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, **options):
        month = None
        if options["month"]:
            try:
                month = date.fromisoformat(f"{options['month']}-01")
            except ValueError:
                raise CommandError(f"--month must be YYYY-MM, not {options['month']!r}")
        for outcome in partner_reports_send(month=month):
            if outcome.made_before:
                self.stdout.write(f"{outcome.organization}: sent before, nothing more")
            else:
                self.stdout.write(f"{outcome.organization}: {outcome.sent} emails queued")

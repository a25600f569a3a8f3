"""`survey_results <slug> --json`: the tallies, as the README's contract says."""

import json

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Survey
from surveys.results import results_document


class Command(BaseCommand):
    help = "Print a survey's results (submitted responses) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="JSON (the only format)")

    def handle(self, *args, slug, **options):
        survey = Survey.objects.filter(slug=slug).first()
        if survey is None:
            raise CommandError(f"No survey {slug}.")
        self.stdout.write(json.dumps(results_document(survey), ensure_ascii=False))

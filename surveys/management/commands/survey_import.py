"""`survey_import <path.json> --owner <email> [--open]`: a survey from its file; prints
its slug (and, with --open, the public link's path)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from members.models import Member
from surveys.schema import survey_spec_parse
from surveys.services.authoring import survey_import, survey_open


class Command(BaseCommand):
    help = "Create a survey from the JSON export format; print its slug."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--owner", required=True, help="the owner's email address")
        parser.add_argument("--open", action="store_true", help="open it with a public link")

    def handle(self, *args, path, owner, open, **options):
        member = Member.objects.filter(email__iexact=owner).first()
        if member is None:
            raise CommandError(f"No member with the email {owner}.")
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            spec = survey_spec_parse(raw)
            survey = survey_import(owner=member, spec=spec)
            if open:
                survey = survey_open(survey=survey, actor=member, public_link=True)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(survey.slug)
        if open:
            self.stdout.write(reverse("surveys:public", args=[survey.public_token]))

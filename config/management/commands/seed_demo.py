from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from communities.seeding import seed_communities
from events.seeding import seed_events
from library.publication_seeding import seed_publications
from library.seeding import seed_library
from members.seeding import seed_members
from monitoring.seeding import seed_usage
from surveys.seeding import seed_surveys
from webinars.seeding import seed_webinars


class Command(BaseCommand):
    help = "Load demo data once (safe to run again: nothing is duplicated)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # The demo staff account's password is printed in the README.
            raise CommandError(
                "seed_demo creates staff accounts with a published password; "
                "it runs only with DEBUG=1 (a developer's machine)."
            )
        summary = seed_members()
        self.stdout.write(
            "demo data: {organizations} organizations, {members} members in "
            "{countries} countries ({created} new)".format(**summary)
        )
        webinars = seed_webinars()
        self.stdout.write("demo data: {webinars} webinars ({created} new)".format(**webinars))
        communities = seed_communities()
        self.stdout.write(
            "demo data: {communities} communities ({created} new)".format(**communities)
        )
        events = seed_events()
        self.stdout.write("demo data: {events} events ({created} new)".format(**events))
        surveys = seed_surveys()
        self.stdout.write("demo data: {surveys} surveys ({created} new)".format(**surveys))
        publications = seed_publications()
        self.stdout.write(
            "demo data: {publications} library publications ({created} new)".format(**publications)
        )
        # Programme profiles after the publications they link to.
        library = seed_library()
        self.stdout.write(
            "demo data: {concepts} glossary concepts ({glossary_created} new), "
            "{programmes} programme profiles ({created} new)".format(**library)
        )
        usage = seed_usage()
        self.stdout.write("demo data: {days} days of usage ({events} events)".format(**usage))

import secrets

from django.db import migrations


def fill(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    while True:
        batch = list(Member.objects.filter(public_id__isnull=True).only("pk")[:1000])
        if not batch:
            return
        for member in batch:
            member.public_id = secrets.token_urlsafe(12)
        Member.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [("members", "0003_member_public_id")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

import webinars.models
from django.db import migrations, models


def keep_the_events_calendars_hold(apps, schema_editor):
    """Registrations invited before this change hold their session's event (UID and
    SEQUENCE of the session): keep updating that one, never add a second."""
    Registration = apps.get_model("webinars", "Registration")
    batch = []
    for registration in Registration.objects.select_related("session").iterator(chunk_size=500):
        registration.ical_uid = f"session-{registration.session.uid}@baraza"
        registration.ical_sequence = registration.session.sequence
        batch.append(registration)
        if len(batch) == 500:
            Registration.objects.bulk_update(batch, ["ical_uid", "ical_sequence"])
            batch = []
    Registration.objects.bulk_update(batch, ["ical_uid", "ical_sequence"])


class Migration(migrations.Migration):
    dependencies = [("webinars", "0003_registration_notices_and_organizer_messages")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="ical_sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="registration",
            name="ical_uid",
            field=models.CharField(max_length=120, null=True, editable=False),
        ),
        migrations.RunPython(keep_the_events_calendars_hold, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="ical_uid",
            field=models.CharField(
                default=webinars.models.new_ical_uid, editable=False, max_length=120
            ),
        ),
    ]

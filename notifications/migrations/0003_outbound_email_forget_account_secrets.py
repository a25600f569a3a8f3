from django.db import migrations

SECRET_REMOVED = "[removed once sent: account emails carry one-time links and codes]"


def forget(apps, schema_editor):
    """Account emails already sent (or suppressed) kept their reset links and sign-in
    codes; from now on the sender blanks them, and this blanks the ones from before."""
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    OutboundEmail.objects.filter(
        kind__startswith="account.", status__in=["sent", "suppressed", "opted_out"]
    ).update(text=SECRET_REMOVED, html="", headers={}, attachments=[])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_outbound_email_claimed")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]

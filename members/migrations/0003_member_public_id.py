from django.db import migrations, models


class Migration(migrations.Migration):
    """Profiles are addressed by a random public id, not the sequential primary key.
    Three steps (add, fill, make unique) so PostgreSQL never alters a table it has
    pending updates on."""

    dependencies = [("members", "0002_site_name")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="public_id",
            field=models.CharField(max_length=32, null=True, editable=False, verbose_name="public id"),
        ),
    ]

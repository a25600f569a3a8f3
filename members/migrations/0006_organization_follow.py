import core.clock
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_member_public_id_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganizationFollow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=core.clock.now, verbose_name="followed since"),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="organization_follows",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="member",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follows",
                        to="members.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "organization followed",
                "verbose_name_plural": "organizations followed",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("member", "organization"), name="organization_followed_once"
                    )
                ],
            },
        ),
    ]

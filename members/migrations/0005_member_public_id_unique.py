from django.db import migrations, models

import members.models


class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_public_id_fill")]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="public_id",
            field=models.CharField(
                default=members.models.new_public_id,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="public id",
            ),
        ),
    ]

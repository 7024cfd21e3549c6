from django.db import migrations, models
from django.db.models import F


def existing_were_notified(apps, schema_editor):
    # They were e-mailed one by one when they came: the first digest must not list them again.
    apps.get_model("comments", "Comment").objects.update(notified_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="notified_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="в сводке модераторам"
            ),
        ),
        migrations.RunPython(existing_were_notified, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(notified_at__isnull=True),
                fields=["created_at"],
                name="comment_digest_waiting",
            ),
        ),
    ]

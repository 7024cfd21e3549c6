from django.db import migrations, models
from django.db.models import F


def live_mentions_fill(apps, schema_editor):
    """Articles whose published text is their latest one: that text was analysed, so copy the count.

    Articles with a pending draft start with none and get theirs at their next analysis (save or
    publish): until then their entities are hidden rather than possibly taken from the draft.
    """
    ArticleEntity = apps.get_model("entities", "ArticleEntity")
    ArticleEntity.objects.filter(
        article__live=True, article__has_unpublished_changes=False
    ).update(live_mentions=F("mentions"))


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleentity",
            name="live_mentions",
            field=models.PositiveIntegerField(
                default=0, verbose_name="упоминаний в опубликованной версии"
            ),
        ),
        migrations.RunPython(live_mentions_fill, migrations.RunPython.noop),
    ]

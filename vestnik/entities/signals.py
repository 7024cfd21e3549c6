"""Every saved revision of an article (draft or published) is analysed once the save has committed."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision

from vestnik.news.models import ArticlePage

from .tasks import analyse_article


def _enqueue(article_id: int) -> None:
    analyse_article.enqueue(article_id)


@receiver(post_save, sender=Revision)
def on_revision_saved(sender, instance: Revision, created: bool, **kwargs):
    if (
        not created
        or not settings.VESTNIK_ANALYSIS
        or instance.content_type.model_class() is not ArticlePage
    ):
        return
    # robust: a failing analysis (or queue) is logged and never turns the editor's save into an error.
    transaction.on_commit(partial(_enqueue, int(instance.object_id)), robust=True)

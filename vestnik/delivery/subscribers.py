"""Purge the page cache when content changes: the news domain event and `content_changed`."""

import logging

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from vestnik.news.events import article_cache_tags, article_changed, content_changed
from vestnik.news.models import ArticlePage

from . import cache

logger = logging.getLogger(__name__)


@receiver(article_changed)
def purge_article_pages(sender, event, **kwargs):
    cache.purge(article_cache_tags(event))


@receiver(content_changed)
def purge_tags(sender, tags, **kwargs):
    cache.purge(tags)


def _purge_site_pages(sender, instance, **kwargs):
    # Rubrics, stories, the home page: their titles are in every page's menu and labels.
    if not isinstance(instance, ArticlePage):
        from django.db import transaction

        transaction.on_commit(lambda: cache.purge({"pages", f"page:{instance.pk}"}))


page_published.connect(_purge_site_pages, dispatch_uid="delivery-purge-published")
page_unpublished.connect(_purge_site_pages, dispatch_uid="delivery-purge-unpublished")

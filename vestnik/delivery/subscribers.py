"""Purge the page cache when content changes: the news domain event and `content_changed`."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished

from vestnik.core import tags as cache_tags
from vestnik.core.events import article_changed, content_changed
from vestnik.news.models import ArticlePage

from . import cache

logger = logging.getLogger(__name__)


@receiver(article_changed)
def purge_article_pages(sender, event, **kwargs):
    # Its page and every list that shows it. Pages that only show it in the feed sidebar carry
    # FEED as a lagging tag: they catch up within VESTNIK_FEED_SIDEBAR_MAX_AGE (cache.py).
    cache.purge(
        cache_tags.showing_article(
            event.article_id, event.rubric_id, event.story_id, event.tag_slugs
        )
    )


@receiver(content_changed)
def purge_tags(sender, tags, **kwargs):
    cache.purge(tags)


def _purge_site_pages(sender, instance, **kwargs):
    # Rubrics, stories, the home page: their titles are in every page's menu and labels.
    if not isinstance(instance, ArticlePage):
        transaction.on_commit(lambda: cache.purge({cache_tags.PAGES, cache_tags.page(instance.pk)}))


def _purge_sites(sender, instance, **kwargs):
    transaction.on_commit(lambda: cache.purge({cache_tags.SITES, cache_tags.PAGES}))


def _purge_restrictions(sender, instance, **kwargs):
    transaction.on_commit(lambda: cache.purge({cache_tags.RESTRICTIONS}))


post_save.connect(_purge_restrictions, sender=PageViewRestriction, dispatch_uid="delivery-vr-saved")
post_delete.connect(
    _purge_restrictions, sender=PageViewRestriction, dispatch_uid="delivery-vr-deleted"
)
post_save.connect(_purge_sites, sender=Site, dispatch_uid="delivery-purge-site-saved")
post_delete.connect(_purge_sites, sender=Site, dispatch_uid="delivery-purge-site-deleted")
page_published.connect(_purge_site_pages, dispatch_uid="delivery-purge-published")
page_unpublished.connect(_purge_site_pages, dispatch_uid="delivery-purge-unpublished")

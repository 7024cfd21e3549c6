"""The broadcast's feed line follows the page: published → a line («Онлайн» while running),
unpublished or deleted → withdrawn. Inside the publish's own transaction (AtomicPublishMixin)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from vestnik.feed import services as feed_services

from . import services
from .models import LiveBroadcastPage


@receiver(page_published, sender=LiveBroadcastPage)
def on_published(sender, instance, **kwargs):
    services.broadcast_published(instance)


@receiver(page_unpublished, sender=LiveBroadcastPage)
@receiver(post_delete, sender=LiveBroadcastPage)
def on_withdrawn(sender, instance, **kwargs):
    feed_services.entry_withdraw(services.line_key(instance.pk))

"""«Молния» published → one push message per key (core.events.breaking_changed)."""

from django.dispatch import receiver

from vestnik.core.events import PUBLISHED, BreakingEvent, breaking_changed

from . import services, tasks


@receiver(breaking_changed, dispatch_uid="push.breaking_changed")
def on_breaking(sender, event: BreakingEvent, **kwargs):
    # Corrections and withdrawals are not pushed: a notification cannot be taken back.
    if event.kind == PUBLISHED and (message := services.message_create(event)):
        tasks.queue(message.key)

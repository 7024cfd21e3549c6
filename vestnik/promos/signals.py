"""Cache invalidation that follows model changes (no business logic here)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import Promo


@receiver(post_save, sender=Promo)
@receiver(post_delete, sender=Promo)
def promo_saved(sender, **kwargs):
    services.promos_changed()


@receiver(m2m_changed, sender=Promo.rubrics.through)
def promo_rubrics_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        services.promos_changed()

"""Reads of the promos app: which promo a placement shows, leads for the newsroom."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import Promo

# Every page asks for up to three placements; the candidates are read once a period
# (VESTNIK_PROMO_CANDIDATES_SECONDS), not per page. Saves drop the key at once.
ACTIVE_KEY = "promos:active"


@dataclass(frozen=True)
class PromoCandidate:
    promo: Promo
    rubric_ids: frozenset[int]


def promos_active() -> list[PromoCandidate]:
    """Switched-on promos that have not ended, best first; cached (services drop it on every save)."""
    candidates = cache.get(ACTIVE_KEY)
    if candidates is None:
        queryset = (
            Promo.objects.filter(active=True)
            .exclude(ends_at__lte=timezone.now())
            .select_related("image")
            .prefetch_related("rubrics")
            .order_by("-priority", "-id")
        )
        candidates = [
            PromoCandidate(promo, frozenset(r.pk for r in promo.rubrics.all()))
            for promo in queryset
        ]
        cache.set(ACTIVE_KEY, candidates, settings.VESTNIK_PROMO_CANDIDATES_SECONDS)
    return candidates


def promo_for(
    placement: str, rubric_id: int | None = None, now: datetime | None = None
) -> Promo | None:
    """The best promo for a placement now: running, for this rubric (or every rubric), top priority."""
    now = now or timezone.now()
    for candidate in promos_active():
        promo = candidate.promo
        if promo.placement != placement:
            continue
        if promo.starts_at and promo.starts_at > now or promo.ends_at and promo.ends_at <= now:
            continue
        if candidate.rubric_ids and rubric_id not in candidate.rubric_ids:
            continue
        return promo
    return None

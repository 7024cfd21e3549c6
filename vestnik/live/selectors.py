"""Reads for broadcasts beyond the reader's page (models.py: `LivePost.objects.reader_page`)."""

from django.db.models import F

from .models import BroadcastCoverage, LiveBroadcastPage, LivePost


def coverage_of(page_id: int) -> BroadcastCoverage:
    return BroadcastCoverage.of(page_id)


def posts_for_newsroom(page) -> list[LivePost]:
    """Every post, drafts included, newest first: the broadcast's admin screen."""
    return list(
        LivePost.objects.filter(page_id=page.pk)
        .select_related("image", "author")
        .order_by("-posted_at", "-id")
    )


def latest_published(page_id: int) -> LivePost | None:
    """The newest published post: its time is the feed line's time."""
    return (
        LivePost.objects.published().filter(page_id=page_id).order_by("-posted_at", "-id").first()
    )


def broadcasts_for_newsroom(limit: int = 100) -> list[LiveBroadcastPage]:
    """The «Трансляции» menu: newest broadcasts first, each with its coverage end (or None)."""
    return list(
        LiveBroadcastPage.objects.annotate(finished_at=F("coverage__finished_at")).order_by(
            "-latest_revision_created_at", "-pk"
        )[:limit]
    )

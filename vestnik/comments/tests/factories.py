"""Builders for comments, through the same services readers and moderators use."""

from wagtail.models import Site

from vestnik.comments import services
from vestnik.comments.models import CommentSettings


def moderation_set(mode: str) -> None:
    """The default site's moderation mode (PRE or POST)."""
    site_settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.moderation = mode
    site_settings.save()


def comment(article, text: str = "Хороший текст", name: str = "Читатель", **kwargs):
    kwargs.setdefault("address", "192.0.2.1")
    return services.comment_create(article=article, name=name, text=text, **kwargs)

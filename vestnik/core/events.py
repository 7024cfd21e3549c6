"""The newsroom's one domain event: an article was published, changed or unpublished.

Sent only after the transaction commits, so a rolled-back publish leaves no trace in the
feed, caches or search index. Subscribers live in their own apps and connect in `ready()`:

    from vestnik.core.events import article_changed

    @receiver(article_changed)
    def on_article(sender, event, **kwargs): ...
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal

from . import tags as cache_tags

PUBLISHED = "published"
CHANGED = "changed"
UNPUBLISHED = "unpublished"

article_changed = Signal()

# Anything else readers see changed (rates imported, comment approved, promo edited): the cache
# tags named are stale. Senders: markets, comments, promos…; subscriber: delivery (purge).
# Tags are named by core.tags (constructors, never bare strings).
content_changed = Signal()  # kwargs: tags: frozenset[str]


def content_changed_send(tags) -> None:
    """Announce stale cache tags once the current transaction commits (immediately outside one)."""
    frozen = frozenset(tags)
    transaction.on_commit(lambda: content_changed.send_robust(sender=None, tags=frozen))


def cache_tags_add(request, *names: str) -> None:
    """Note that the page (or shared fragment) being rendered for `request` shows `names`.

    The page cache reads `request.cache_tags`; outside it there is no such set and this is a no-op.
    Any app may call it for what it puts on a page (a «Читайте также» card shows another article).
    """
    tags = getattr(request, "cache_tags", None)
    if tags is not None:
        tags.update(names)


def cache_until(request, moment: float) -> None:
    """Note that the page being rendered for `request` shows something that ends at `moment`
    (a Unix time: the «молния» banner's end), so no cached copy of it is served from then on.

    The page cache reads `request.cache_until`; outside it this is a no-op."""
    if hasattr(request, "cache_until"):
        current = request.cache_until
        request.cache_until = moment if current is None else min(current, moment)


def article_cache_tags(event: "ArticleEvent") -> frozenset[str]:
    """The cache tags an article event makes stale: every page that may show the article."""
    return cache_tags.showing_article(
        event.article_id, event.rubric_id, event.story_id, event.tag_slugs
    )


# «Молния»: an editor flagged an article or a live broadcast's post as breaking news and it went
# live (PUBLISHED), was corrected while live (CHANGED) or withdrawn (UNPUBLISHED). Sent after
# commit with send_robust; senders: news (articles), live (posts); subscribers: breaking
# (Telegram, the site-wide banner), push (web push). Subscribers dedupe by `event.key`:
# republishing sends PUBLISHED again and must not post twice.
breaking_changed = Signal()  # kwargs: event: BreakingEvent


def breaking_changed_send(event: "BreakingEvent") -> None:
    """Announce a «молния» change once the current transaction commits."""
    transaction.on_commit(lambda: breaking_changed.send_robust(sender=None, event=event))


@dataclass(frozen=True)
class BreakingEvent:
    kind: str  # PUBLISHED | CHANGED | UNPUBLISHED
    key: str  # the source, stable across edits: "article:42", "live-post:7"
    title: str  # plain text, as readers see it
    url: str  # the site-relative path readers open ("/politika/slug/", "/…/#post-7")
    published_at: datetime  # aware; the banner runs VESTNIK_BREAKING_MINUTES from it


@dataclass(frozen=True)
class ArticleEvent:
    kind: str  # PUBLISHED | CHANGED | UNPUBLISHED
    article_id: int
    rubric_id: int | None
    story_id: int | None
    tag_slugs: tuple[str, ...] = field(default=())
    url_path: str = ""

"""The newsroom's one domain event: an article was published, changed or unpublished.

Sent only after the transaction commits, so a rolled-back publish leaves no trace in the
feed, caches or search index. Subscribers live in their own apps and connect in `ready()`:

    from vestnik.news.events import article_changed

    @receiver(article_changed)
    def on_article(sender, event, **kwargs): ...
"""

from dataclasses import dataclass, field

from django.dispatch import Signal

PUBLISHED = "published"
CHANGED = "changed"
UNPUBLISHED = "unpublished"

article_changed = Signal()


@dataclass(frozen=True)
class ArticleEvent:
    kind: str  # PUBLISHED | CHANGED | UNPUBLISHED
    article_id: int
    rubric_id: int | None
    story_id: int | None
    tag_slugs: tuple[str, ...] = field(default=())
    url_path: str = ""

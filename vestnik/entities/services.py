"""Writes: analyse an article into suggestions; editors' decisions; entity records."""

from anyascii import anyascii
from django.db import transaction
from django.utils.text import slugify

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.news.models import ArticlePage, RubricPage
from vestnik.search.services import article_plain_text

from . import extraction
from .models import ArticleEntity, Entity


def article_texts(article: ArticlePage) -> list[str]:
    """Title, lead and body as separate blocks, so a headline never runs into the lead."""
    return [article.title, article.lead, *article_plain_text(article).split("\n")]


def entity_get_or_create(kind: str, name: str) -> Entity:
    entity = Entity.objects.filter(kind=kind, name=name).first()
    if entity:
        return entity
    base = slugify(anyascii(name))[:200] or "entity"
    slug, suffix = base, 1
    while Entity.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return Entity.objects.create(kind=kind, name=name, slug=slug)


def article_analyse(article_id: int) -> list[ArticleEntity]:
    """Suggest the entities of the article's latest text; editors' earlier decisions stay as they were.

    The published text is counted too (`live_mentions`): readers only see what it mentions.
    """
    page = ArticlePage.objects.filter(pk=article_id).first()
    if page is None:
        return []
    rubric_names = set(RubricPage.objects.values_list("title", flat=True))
    latest = page.get_latest_revision_as_object()
    found = _counts(extraction.extract(article_texts(latest), exclude=rubric_names))
    if not page.live:
        live_found = {}
    elif not page.has_unpublished_changes:
        live_found = found
    else:
        # The page row of a live page holds its published version; the draft is only a revision.
        live_found = _counts(extraction.extract(article_texts(page), exclude=rubric_names))
    with transaction.atomic():
        shown_before = _shown(page)
        links = []
        for kind, name in [*found, *(key for key in live_found if key not in found)]:
            entity = entity_get_or_create(kind, name)
            counts = {
                "mentions": found.get((kind, name), 0),
                "live_mentions": live_found.get((kind, name), 0),
            }
            link, created = ArticleEntity.objects.get_or_create(
                article=page, entity=entity, defaults=counts
            )
            changed = [field for field, value in counts.items() if getattr(link, field) != value]
            # A decided link the latest text dropped keeps its last count (the review shows it).
            if "mentions" in changed and counts["mentions"] == 0:
                changed.remove("mentions")
            if not created and changed:
                for field in changed:
                    setattr(link, field, counts[field])
                link.save(update_fields=changed)
            links.append(link)
        # Suggestions the text no longer supports go; accepted and rejected ones are decisions.
        ArticleEntity.objects.filter(article=page, status=ArticleEntity.SUGGESTED).exclude(
            pk__in=[link.pk for link in links]
        ).delete()
        ArticleEntity.objects.filter(article=page).exclude(
            pk__in=[link.pk for link in links]
        ).exclude(live_mentions=0).update(live_mentions=0)
        shown_after = _shown(page)
        if shown_after != shown_before:
            content_changed_send(
                {tags.article(page.pk), *(tags.entity(pk) for pk in shown_before ^ shown_after)}
            )
    return [link for link in links if (link.entity.kind, link.entity.name) in found]


def _counts(found) -> dict[tuple[str, str], int]:
    return {(item.kind, item.name): item.mentions for item in found}


def _shown(page) -> set[int]:
    """Entity ids the live page shows."""
    return set(
        ArticleEntity.objects.filter(
            article=page, status=ArticleEntity.ACCEPTED, live_mentions__gt=0
        ).values_list("entity_id", flat=True)
    )


def link_decide(link: ArticleEntity, accept: bool) -> ArticleEntity:
    link.status = ArticleEntity.ACCEPTED if accept else ArticleEntity.REJECTED
    link.save(update_fields=["status"])
    content_changed_send({tags.article(link.article_id), tags.entity(link.entity_id)})
    return link

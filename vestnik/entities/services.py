"""Writes: analyse an article into suggestions; editors' decisions; entity records."""

from anyascii import anyascii
from django.db import transaction
from django.utils.text import slugify

from vestnik.news.events import content_changed_send
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
    """Suggest the entities of the article's latest text; editors' earlier decisions stay as they were."""
    page = ArticlePage.objects.filter(pk=article_id).first()
    if page is None:
        return []
    article = page.get_latest_revision_as_object()
    rubric_names = set(RubricPage.objects.values_list("title", flat=True))
    found = extraction.extract(article_texts(article), exclude=rubric_names)
    with transaction.atomic():
        links = []
        for item in found:
            entity = entity_get_or_create(item.kind, item.name)
            link, created = ArticleEntity.objects.get_or_create(
                article=page, entity=entity, defaults={"mentions": item.mentions}
            )
            if not created and link.mentions != item.mentions:
                link.mentions = item.mentions
                link.save(update_fields=["mentions"])
            links.append(link)
        # Suggestions the text no longer supports go; accepted and rejected ones are decisions.
        ArticleEntity.objects.filter(article=page, status=ArticleEntity.SUGGESTED).exclude(
            pk__in=[link.pk for link in links]
        ).delete()
    return links


def link_decide(link: ArticleEntity, accept: bool) -> ArticleEntity:
    link.status = ArticleEntity.ACCEPTED if accept else ArticleEntity.REJECTED
    link.save(update_fields=["status"])
    content_changed_send({f"article:{link.article_id}", f"entity:{link.entity_id}"})
    return link

"""Reads: an article's entities, an entity's articles, entity names for search suggestions."""

from django.db.models import QuerySet

from vestnik.news.models import ArticlePage
from vestnik.news.selectors import articles_live

from .models import ArticleEntity, Entity


def article_links(article: ArticlePage) -> list[ArticleEntity]:
    return list(
        ArticleEntity.objects.filter(article=article)
        .select_related("entity")
        .order_by("status", "entity__kind", "-mentions", "entity__name")
    )


def article_entities(article_id: int) -> list[Entity]:
    """The accepted entities of an article, people first."""
    return list(
        Entity.objects.filter(
            article_links__article_id=article_id, article_links__status=ArticleEntity.ACCEPTED
        ).order_by("-kind", "name")
    )


def entities_live() -> QuerySet[Entity]:
    """Entities editors accepted in at least one published article; one only drafts name is not here."""
    return Entity.objects.filter(
        pk__in=ArticleEntity.objects.filter(
            status=ArticleEntity.ACCEPTED, article__in=articles_live()
        ).values("entity_id")
    )


def entity_articles(entity: Entity) -> QuerySet[ArticlePage]:
    """Published articles where editors accepted the entity; page with news.selectors.articles_listing."""
    return articles_live().filter(
        entity_links__entity=entity, entity_links__status=ArticleEntity.ACCEPTED
    )


def entity_names(limit: int = 500) -> list[str]:
    """Accepted entity names of published articles, most linked first: the search page suggests them."""
    from django.db.models import Count, Q

    accepted_live = Q(
        article_links__status=ArticleEntity.ACCEPTED,
        article_links__article__in=articles_live(),
    )
    return list(
        Entity.objects.annotate(uses=Count("article_links", filter=accepted_live))
        .filter(uses__gt=0)
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:limit]
    )

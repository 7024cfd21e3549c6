"""Reads: an article's entities, an entity's articles, entity names for search suggestions."""

from django.db.models import Count, Q, QuerySet

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
    """The accepted entities the article's published text mentions, people first."""
    return list(
        Entity.objects.filter(
            article_links__article_id=article_id,
            article_links__status=ArticleEntity.ACCEPTED,
            article_links__live_mentions__gt=0,
        ).order_by("-kind", "name")
    )


def entity_public(slug: str) -> Entity | None:
    """The entity, if some published article shows it; one known only from drafts has no page."""
    return (
        Entity.objects.filter(
            slug=slug,
            article_links__status=ArticleEntity.ACCEPTED,
            article_links__live_mentions__gt=0,
            article_links__article__live=True,
        )
        .distinct()
        .first()
    )


def entity_articles(entity: Entity) -> QuerySet[ArticlePage]:
    """Published articles where editors accepted the entity; page with news.selectors.articles_listing."""
    return articles_live().filter(
        entity_links__entity=entity,
        entity_links__status=ArticleEntity.ACCEPTED,
        entity_links__live_mentions__gt=0,
    )


def entity_names(limit: int = 500) -> list[str]:
    """Accepted entity names, most linked first: the search page suggests them."""
    return list(
        Entity.objects.annotate(
            uses=Count(
                "article_links",
                filter=Q(
                    article_links__status=ArticleEntity.ACCEPTED,
                    article_links__live_mentions__gt=0,
                    article_links__article__live=True,
                ),
            )
        )
        .filter(uses__gt=0)
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:limit]
    )

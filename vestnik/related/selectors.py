from vestnik.news.models import ArticlePage

from .models import RelatedSuggestion


def read_also(article_id: int, limit: int = 3) -> list[ArticlePage]:
    """«Читайте также»: cards the editor inserted first, then the closest suggestions; one query."""
    rows = (
        RelatedSuggestion.objects.filter(article_id=article_id, related__live=True)
        .select_related("related", "related__rubric", "related__lead_image")
        .order_by("-inserted", "-score")[:limit]
    )
    return [row.related for row in rows]


def suggestions(article_id: int, limit: int = 10) -> list[RelatedSuggestion]:
    return list(
        RelatedSuggestion.objects.filter(article_id=article_id, related__live=True)
        .select_related("related", "related__rubric")
        .order_by("-score")[:limit]
    )

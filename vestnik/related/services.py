"""Embed published articles and keep each one's top neighbours precomputed."""

import numpy as np
from django.conf import settings
from django.db import transaction

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.news.models import ArticlePage

from . import embeddings
from .models import ArticleVector, RelatedSuggestion

TOP_K = 6


def article_text(article: ArticlePage) -> str:
    return f"{article.title}. {article.lead}".strip()


def article_embed(article: ArticlePage) -> np.ndarray:
    vector = embeddings.encode([article_text(article)])[0]
    ArticleVector.objects.update_or_create(
        article=article,
        defaults={"vector": embeddings.to_bytes(vector), "published_at": article.published_at},
    )
    return vector


def _candidates(exclude_id: int) -> tuple[list[int], np.ndarray]:
    """The newest VESTNIK_RELATED_CANDIDATES vectors (news relates to recent news) as one matrix."""
    rows = list(
        ArticleVector.objects.exclude(pk=exclude_id)
        .filter(article__live=True)
        .order_by("-published_at")
        .values_list("article_id", "vector")[: settings.VESTNIK_RELATED_CANDIDATES]
    )
    if not rows:
        return [], np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    ids = [pk for pk, _ in rows]
    matrix = np.frombuffer(b"".join(bytes(v) for _, v in rows), dtype=np.float32)
    return ids, matrix.reshape(len(ids), embeddings.DIMENSIONS)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, highest first, without sorting all of them."""
    if len(scores) <= k:
        return np.argsort(-scores, kind="stable")
    best = np.argpartition(-scores, k)[:k]
    return best[np.argsort(-scores[best], kind="stable")]


def neighbours_update(article: ArticlePage, vector: np.ndarray) -> list[RelatedSuggestion]:
    """Store the article's TOP_K nearest articles, and offer it back to each of them."""
    ids, matrix = _candidates(article.pk)
    if not ids:
        return []
    scores = matrix @ vector
    best = top_k(scores, TOP_K)
    with transaction.atomic():
        RelatedSuggestion.objects.filter(article=article, inserted=False).delete()
        kept = set(
            RelatedSuggestion.objects.filter(article=article).values_list("related_id", flat=True)
        )
        rows = [
            RelatedSuggestion(article=article, related_id=ids[i], score=float(scores[i]))
            for i in best
            if ids[i] not in kept
        ]
        RelatedSuggestion.objects.bulk_create(rows)
        for i in best:
            RelatedSuggestion.objects.update_or_create(
                article_id=ids[i], related=article, defaults={"score": float(scores[i])}
            )
    return rows


def cards_mark(article: ArticlePage) -> None:
    """«Читайте также» lists first the articles the published body carries as cards.

    Read from the published body, not set when a card is inserted into a draft: the draft reaches
    readers only through review, and so does the order it implies.
    """
    live_cards = {
        block.value["article"].pk
        for block in article.body
        if block.block_type == "related" and block.value.get("article") is not None
    }
    RelatedSuggestion.objects.filter(article=article, related_id__in=live_cards).update(
        inserted=True
    )
    RelatedSuggestion.objects.filter(article=article, inserted=True).exclude(
        related_id__in=live_cards
    ).update(inserted=False)


def article_relate(article_id: int) -> int:
    article = ArticlePage.objects.live().filter(pk=article_id).first()
    if article is None:
        return 0
    cards_mark(article)
    rows = neighbours_update(article, article_embed(article))
    # «Читайте также» runs after the publish purged the pages: they are stale once more, and so
    # are the neighbours, whose lists may now offer this article.
    content_changed_send({tags.article(pk) for pk in [article.pk, *(r.related_id for r in rows)]})
    return len(rows)


def card_insert(article: ArticlePage, related: ArticlePage, user=None):
    """Append a related-article card to the article's latest draft, as a new revision (not published).

    The live page changes when that revision is published (`cards_mark`), not before.
    """
    draft = article.get_latest_revision_as_object()
    draft.body.append(("related", {"article": related}))
    return draft.save_revision(user=user, log_action=True)

"""Writes to the search index: one entry per published article."""

from collections.abc import Callable, Iterable
from html import unescape

from django.db import transaction
from django.utils.html import strip_tags

from vestnik.news.models import ArticlePage

from .models import SearchEntry
from .morphology import lemmatize


def article_plain_text(article: ArticlePage) -> str:
    """The words a reader sees in the body: paragraphs and quotes, without markup."""
    parts = []
    for block in article.body or []:
        if block.block_type == "paragraph":
            parts.append(unescape(strip_tags(block.value.source)))
        elif block.block_type == "quote":
            parts.append(f"{block.value['text']} {block.value.get('attribution') or ''}")
    return "\n".join(part.strip() for part in parts if part.strip())


def entry_build(article: ArticlePage) -> SearchEntry:
    body = article_plain_text(article)
    return SearchEntry(
        article_id=article.pk,
        title=article.title,
        lead=article.lead,
        body=body,
        title_lemmas=lemmatize(article.title),
        lead_lemmas=lemmatize(article.lead),
        body_lemmas=lemmatize(body),
        rubric_id=article.rubric_id,
        story_id=article.story_id,
        published_at=article.published_at or article.first_published_at,
    ).fill_keys()


def entry_upsert(article: ArticlePage) -> SearchEntry:
    entry = entry_build(article)
    with transaction.atomic():
        SearchEntry.objects.filter(pk=entry.pk).delete()
        entry.save(force_insert=True)
    return entry


def entry_delete(article_id: int) -> None:
    SearchEntry.objects.filter(pk=article_id).delete()


def index_rebuild(batch_size: int = 200, progress: Callable[[int, int], None] | None = None) -> int:
    """Replace the whole index with the live articles; readers see the old index until it commits."""
    articles = ArticlePage.objects.live().order_by("pk")
    total = articles.count()
    done = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for batch in _batches(articles.iterator(chunk_size=batch_size), batch_size):
            SearchEntry.objects.bulk_create([entry_build(article) for article in batch])
            done += len(batch)
            if progress:
                progress(done, total)
    return done


def _batches(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

"""Builders for news content, on top of the same services the newsroom and the demo use."""

import io
from datetime import datetime, timedelta
from itertools import count

from django.core.files.images import ImageFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image
from wagtail.models import Page

from vestnik.news import services
from vestnik.news.models import ArticlePage, NewsImage, RubricPage, StoryIndexPage, StoryPage

_numbers = count(1)


def _published_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def rubric(home, title: str, slug: str) -> RubricPage:
    existing = RubricPage.objects.filter(slug=slug).first()
    return existing or _published_child(
        home, RubricPage(title=title, slug=slug, show_in_menus=True)
    )


def story(home, title: str) -> StoryPage:
    index = StoryIndexPage.objects.first() or _published_child(
        home, StoryIndexPage(title="Сюжеты", slug="story")
    )
    return _published_child(index, StoryPage(title=title, slug=f"story-{next(_numbers)}"))


def image(title: str = "Фото", caption: str = "", credit: str = "", size=(64, 36)) -> NewsImage:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 130, 140)).save(buffer, "JPEG")
    photo = NewsImage(
        title=title, caption=caption, credit=credit, file=ImageFile(buffer, name="test.jpg")
    )
    photo.save()
    return photo


def article(
    rubric: RubricPage, title: str | None = None, published_at: datetime | None = None, **fields
) -> ArticlePage:
    """A published article, with its after-commit subscribers (feed line…) already run, as in production."""
    number = next(_numbers)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.article_publish(
            rubric,
            title=title or f"Новость номер {number}",
            published_at=published_at or timezone.now() - timedelta(minutes=number),
            **fields,
        )


def articles(
    rubric: RubricPage, n: int, start: datetime | None = None, step=timedelta(minutes=1), **fields
) -> list[ArticlePage]:
    start = start or timezone.now()
    return [article(rubric, published_at=start - step * i, **fields) for i in range(n)]


def admin_article_form(title: str, slug: str, **extra) -> dict:
    """The article editor's POST as Wagtail's admin form sends it (add or edit view)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    fields = {
        "title": title,
        "slug": slug,
        "lead": "",
        "body": streamfield([]),
        "article_authors": inline_formset([]),
        "tags": "",
        "comments_enabled": "on",
    }
    return nested_form_data({**fields, **extra})

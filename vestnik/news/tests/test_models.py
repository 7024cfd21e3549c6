from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from vestnik.news.models import ArticlePage

from . import factories

pytestmark = pytest.mark.django_db


def test_article_takes_its_rubric_from_the_rubric_page_it_sits_under(rubric):
    article = factories.article(rubric, title="Заголовок")
    assert ArticlePage.objects.get(pk=article.pk).rubric_id == rubric.pk


def test_article_outside_a_rubric_cannot_be_saved_and_says_so_in_russian(home):
    with pytest.raises(ValidationError) as error:
        home.add_child(instance=ArticlePage(title="Без рубрики", slug="bez-rubriki"))
    assert "рубрик" in str(error.value)
    assert not ArticlePage.objects.filter(slug="bez-rubriki").exists()


def test_article_without_headline_is_rejected_with_a_russian_message(rubric):
    article = ArticlePage(title="   ", slug="pusto")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert error.value.message_dict["title"] == ["Напишите заголовок статьи."]


def test_first_publication_time_becomes_the_shown_time_when_none_is_given(rubric):
    article = factories.article(rubric)
    ArticlePage.objects.filter(pk=article.pk).update(published_at=None)
    article = ArticlePage.objects.get(pk=article.pk)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.published_at == article.first_published_at


def test_explicit_publication_time_is_kept_in_utc(rubric):
    moment = datetime(2024, 10, 5, 20, 50, tzinfo=UTC)  # 23:50 in Moscow
    article = factories.article(rubric, published_at=moment)
    assert ArticlePage.objects.get(pk=article.pk).published_at == moment


def test_caption_and_credit_fall_back_to_the_image_library(rubric):
    photo = factories.image(
        caption="Владимир Путин и Джо Байден", credit="Александр Земляниченко / AP"
    )
    article = factories.article(rubric, lead_image=photo)
    assert article.photo_caption == "Владимир Путин и Джо Байден"
    assert article.photo_credit == "Александр Земляниченко / AP"
    article.lead_image_caption = "Другая подпись"
    assert article.photo_caption == "Другая подпись"


def test_rich_text_is_sanitised_when_stored(rubric):
    dirty = '<p onclick="steal()">Текст<script>alert(1)</script> <a href="javascript:alert(2)">ссылка</a></p>'
    article = factories.article(rubric, body=[("paragraph", RichText(dirty))])
    stored = ArticlePage.objects.get(pk=article.pk).body.raw_data[0]["value"]
    assert "script" not in stored
    assert "onclick" not in stored
    assert "javascript:" not in stored
    assert "Текст" in stored

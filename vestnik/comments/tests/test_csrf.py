"""Article pages with open comments are cached like any other: the forms carry no CSRF token.

CSRF stays on: the token comes from /comments/token/ (comments.js), and a comment sent without
one (a reader without JS) is shown back, untouched, with a token to confirm.
"""

import re

import lxml.html
import pytest
from django.test import Client

from vestnik.comments.models import POST, Comment
from vestnik.comments.tests.factories import moderation_set
from vestnik.promos.models import Promo
from vestnik.promos.tests import factories as promo_factories

pytestmark = pytest.mark.django_db

FORM = {"name": "Анна", "text": "Согласна <script>alert(1)</script> с автором", "website": ""}


@pytest.fixture
def reader():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.20")


def _token_in(html: str) -> str:
    form = lxml.html.fromstring(html).xpath('//form[@class="comment-form"]')[0]
    return form.xpath('.//input[@name="csrfmiddlewaretoken"]')[0].get("value")


def test_an_article_with_open_comments_is_page_cached_without_a_token(reader, article, settings):
    settings.VESTNIK_PAGE_CACHE = True
    first = reader.get(article.url)
    assert 'class="comment-form"' in first.content.decode()
    assert _token_in(first.content.decode()) == ""
    assert "csrftoken" not in first.cookies
    second = reader.get(article.url)
    assert second["X-Cache"] == "HIT"
    assert "public" in second["Cache-Control"]


def test_a_comment_sent_with_the_fetched_token_is_stored(reader, article):
    moderation_set(POST)
    answer = reader.get("/comments/token/")
    assert "no-store" in answer["Cache-Control"]
    assert "csrftoken" in answer.cookies  # the token and its cookie travel together
    token = answer.json()["token"]
    response = reader.post(f"/comments/{article.pk}/", {**FORM, "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Comment.objects.get().text == FORM["text"]


def test_a_comment_without_a_token_is_shown_back_to_confirm_and_nothing_is_stored(reader, article):
    moderation_set(POST)
    response = reader.post(f"/comments/{article.pk}/", FORM)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Подтвердите комментарий" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert Comment.objects.count() == 0
    # The reader presses «Отправить» on that page: the form now carries a token and its cookie.
    token = _token_in(html)
    assert token
    form = lxml.html.fromstring(html).xpath('//form[@class="comment-form"]')[0]
    assert form.get("action").startswith(f"/comments/{article.pk}/")
    sent = reader.post(f"/comments/{article.pk}/", {**FORM, "csrfmiddlewaretoken": token})
    assert sent.status_code == 303
    assert Comment.objects.count() == 1


def test_a_reply_without_a_token_keeps_its_thread(reader, article):
    moderation_set(POST)
    parent = Comment.objects.create(
        article=article, name="Борис", text="Первый", status=Comment.Status.PUBLISHED
    )
    html = reader.post(
        f"/comments/{article.pk}/", {**FORM, "parent": str(parent.pk)}
    ).content.decode()
    assert re.search(rf'name="parent" value="{parent.pk}"', html)


def test_other_forms_without_a_token_get_the_plain_russian_refusal(reader, rubric):
    promo = promo_factories.promo("Курс", placement=Promo.SIDEBAR)
    response = reader.post(f"/promo/{promo.pk}/lead/", {"name": "Анна"})
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()

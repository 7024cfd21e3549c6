"""The reader's side over HTTP: posting, every refusal as a Russian 4xx, XSS, counts on cards."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vestnik.comments import services
from vestnik.comments.models import POST, PRE, Comment
from vestnik.comments.tests.factories import comment, moderation_set
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories as news_factories

pytestmark = pytest.mark.django_db

FORM = {"name": "Анна", "text": "Согласна с автором", "website": ""}


def _post(client, article, **data):
    return client.post(f"/comments/{article.pk}/", {**FORM, **data}, REMOTE_ADDR="192.0.2.10")


def _section(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode()).get_element_by_id("comments")


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_post_moderation_shows_the_comment_after_a_303(client, article):
    moderation_set(POST)
    response = _post(client, article)
    assert response.status_code == 303
    comment_id = Comment.objects.get().pk
    assert response["Location"] == f"{article.url}?comment=published#comment-{comment_id}"
    page = client.get(response["Location"])
    section = _section(page)
    assert "Согласна с автором" in _text(section)
    assert section.get_element_by_id(f"comment-{comment_id}") is not None
    assert "Комментарий опубликован" in _text(section)


def test_pre_moderation_says_the_comment_is_awaiting_moderation(client, article):
    moderation_set(PRE)
    response = _post(client, article)
    assert response.status_code == 303
    page = client.get(response["Location"])
    text = _text(_section(page))
    assert "на модерации" in text
    assert "Согласна с автором" not in text
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"name": ""}, 400, "Укажите имя"),
        ({"text": ""}, 400, "Напишите комментарий"),
        ({"text": "я"}, 400, "Комментарий слишком короткий"),
        ({"text": "я" * 2001}, 400, "Комментарий слишком длинный"),
        ({"name": "Я" * 81}, 400, "Имя слишком длинное"),
        ({"website": "http://spam.example"}, 400, "не принят"),
        ({"parent": "abc"}, 400, "недоступен"),
        ({"parent": "999999"}, 400, "недоступен"),
    ],
)
def test_bad_input_gets_a_russian_message_a_400_and_keeps_what_was_typed(
    client, article, data, status, message
):
    response = _post(client, article, **data)
    assert response.status_code == status
    section = _section(response)
    assert message in _text(section)
    if data.get("name", "x") and "name" not in data:
        assert (
            section.xpath('.//form[@id="comment-form-new"]//input[@name="name"]')[0].get("value")
            == "Анна"
        )
    assert Comment.objects.count() == 0


def test_rate_limited_posts_get_429_with_a_russian_message(client, article, settings):
    settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS = 1
    assert _post(client, article).status_code == 303
    response = _post(client, article)
    assert response.status_code == 429
    assert "Слишком много комментариев" in _text(_section(response))
    assert Comment.objects.count() == 1


def test_closed_comments_refuse_with_403_and_show_no_form(client, article):
    ArticlePage.objects.filter(pk=article.pk).update(comments_enabled=False)
    response = _post(client, article)
    assert response.status_code == 403
    assert "Комментарии к этой статье закрыты" in _text(_section(response))
    assert not _section(client.get(article.url)).xpath(".//form")


def test_unknown_article_is_404_and_get_is_405(client, article):
    assert client.post("/comments/999999/", FORM).status_code == 404
    assert client.get(f"/comments/{article.pk}/").status_code == 405


def test_a_reply_form_posts_into_the_thread(client, article):
    moderation_set(POST)
    top = comment(article, text="Первый")
    page = client.get(article.url)
    form = _section(page).xpath(f'.//form[@id="comment-form-{top.pk}"]')[0]
    assert form.xpath('.//input[@name="parent"]')[0].get("value") == str(top.pk)
    response = _post(client, article, parent=str(top.pk), text="Ответ на первый")
    assert response.status_code == 303
    thread = _section(client.get(article.url)).get_element_by_id(f"comment-{top.pk}")
    assert "Ответ на первый" in _text(thread.xpath('.//ol[@class="comments__replies"]')[0])


def test_a_rejected_parent_leaves_its_replies_under_a_placeholder_and_the_count_matches(
    client, article
):
    moderation_set(POST)
    top = comment(article, text="Спорное мнение")
    comment(article, text="Ответ остаётся", parent_id=top.pk, address="192.0.2.77")
    services.comment_moderate(top, "reject")
    section = _section(client.get(article.url))
    text = _text(section)
    assert "Спорное мнение" not in text
    assert "Комментарий удалён" in text
    assert "Ответ остаётся" in text
    count = section.xpath('.//*[@id="comments-title"]/span[@class="count"]')[0]
    assert count.xpath('./span[@aria-hidden="true"]')[0].text == "1"
    # A <span> may not carry aria-label (the Nu HTML Checker's error): the words are hidden text.
    assert count.get("aria-label") is None
    assert count.xpath('./span[@class="visually-hidden"]')[0].text.strip()


def test_links_are_clickable_with_nofollow_ugc(client, article):
    moderation_set(POST)
    comment(article, text="Источник: https://example.org/news?id=1&x=2 — читайте")
    link = _section(client.get(article.url)).xpath('.//div[@class="comment__text"]//a')[0]
    assert link.get("href") == "https://example.org/news?id=1&x=2"
    assert link.get("rel") == "nofollow ugc"


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">нажми</a>',
    "javascript:alert(1)",
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=alert(1)>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<details open ontoggle=alert(1)>",
    '<a href="http://example.org" onmouseover="alert(1)">пример</a>',
    'http://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
    "<input autofocus onfocus=alert(1)>",
    "<embed src=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "{{ request }}{% debug %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


def test_nothing_from_a_comment_runs_whatever_was_typed(client, article, settings):
    """Every payload is posted through the form and shown back as plain text."""
    settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS = settings.VESTNIK_COMMENTS_RATE_PER_ARTICLE = 100
    moderation_set(POST)
    for number, payload in enumerate(XSS_PAYLOADS):
        response = _post(client, article, name=payload[:80], text=f"{number}: {payload}")
        assert response.status_code == 303, payload
    section = _section(client.get(article.url))
    comments = section.xpath('.//li[contains(concat(" ", @class, " "), " comment ")]')
    assert len(comments) == len(XSS_PAYLOADS)
    shown = section.xpath('.//p[@class="comment__meta"] | .//div[@class="comment__text"]')
    assert len(shown) == 2 * len(XSS_PAYLOADS)
    for element in (node for part in shown for node in part.iter()):
        assert element.tag in {"p", "div", "b", "time", "a", "br"}, lxml.html.tostring(element)
        for attribute, value in element.attrib.items():
            assert attribute in {"class", "datetime", "href", "rel"}, lxml.html.tostring(element)
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    # Nothing anywhere on the page outside our own markup: the JSON-LD and our own static scripts.
    page = lxml.html.fromstring(client.get(article.url).content.decode())
    inline = [script for script in page.iter("script") if not script.get("src")]
    assert [script.get("type") for script in inline] == ["application/ld+json"]
    assert all(
        script.get("src").startswith("/static/")
        for script in page.iter("script")
        if script.get("src")
    )
    assert not [el for el in page.iter() if any(a.startswith("on") for a in el.attrib)]
    text = section.text_content()
    for number, payload in enumerate(XSS_PAYLOADS):
        assert f"{number}: {payload}" in text  # shown as typed, as text
    assert "{{ request }}" in text


def test_cards_show_counts_with_russian_plurals_without_a_query_per_card(client, rubric):
    counts = [1, 2, 5, 21, 0]
    for count in counts:
        article = news_factories.article(rubric)
        services.comments_import(article, [("Читатель", "Текст", [])] * count)
    page = client.get(rubric.url).content.decode().replace("\xa0", " ")
    for label in ("1 комментарий", "2 комментария", "5 комментариев", "21 комментарий"):
        assert label in page
    with CaptureQueriesContext(connection) as five:
        client.get(rubric.url)
    for _ in range(4):
        services.comments_import(news_factories.article(rubric), [("Читатель", "Текст", [])])
    with CaptureQueriesContext(connection) as nine:
        client.get(rubric.url)
    assert len(nine) == len(five)


def test_an_oversized_post_is_a_russian_413_not_a_500(client, article):
    # Past VESTNIK_PUBLIC_MAX_BODY_KB: refused before the body is read (docs/security.md).
    response = client.post(f"/comments/{article.pk}/", {**FORM, "text": "я" * 3_000_000})
    assert response.status_code == 413
    assert "Слишком много данных" in response.content.decode()
    assert Comment.objects.count() == 0


def test_the_article_page_spends_one_query_on_its_comments_however_many(client, article):
    client.get(article.url)  # warm Wagtail's site and rendition caches
    with CaptureQueriesContext(connection) as without:
        client.get(article.url)
    services.comments_import(
        article, [("Читатель", f"Мнение {n}", [("Ответ", "Да")] * 2) for n in range(30)]
    )
    client.get(article.url)
    with CaptureQueriesContext(connection) as with_90:
        response = client.get(article.url)
    assert response.content.decode().count('class="comment__text"') == 90
    assert len(with_90) == len(without) + 1


def _post_via(client, article, forwarded_for: str, peer: str = "127.0.0.1"):
    return client.post(
        f"/comments/{article.pk}/",
        FORM,
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_two_readers_are_limited_separately(client, article, settings):
    settings.VESTNIK_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS = 2
    # The proxy appends the peer it saw; what the reader wrote to the left is not trusted.
    assert _post_via(client, article, "203.0.113.1").status_code == 303
    assert _post_via(client, article, "198.51.100.9, 203.0.113.1").status_code == 303
    assert _post_via(client, article, "198.51.100.10, 203.0.113.1").status_code == 429
    assert _post_via(client, article, "203.0.113.2").status_code == 303
    digests = set(Comment.objects.values_list("sender_hash", flat=True))
    assert digests == {services.sender_hash("203.0.113.1"), services.sender_hash("203.0.113.2")}


def test_blocking_one_reader_behind_the_proxy_does_not_block_another(client, article, settings):
    settings.VESTNIK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _post_via(client, article, "203.0.113.1", peer="10.0.0.5").status_code == 303
    services.senders_block([Comment.objects.get().pk])
    blocked = _post_via(client, article, "203.0.113.1", peer="10.0.0.5")
    assert blocked.status_code == 403
    assert "не принимаются" in _text(_section(blocked))
    assert _post_via(client, article, "203.0.113.2", peer="10.0.0.6").status_code == 303


def test_an_untrusted_peers_forwarded_for_is_ignored(client, article, settings):
    settings.VESTNIK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS = 1
    assert _post_via(client, article, "203.0.113.1", peer="192.0.2.66").status_code == 303
    # A new forged header from the same peer is still the same reader.
    assert _post_via(client, article, "203.0.113.2", peer="192.0.2.66").status_code == 429
    assert Comment.objects.get().sender_hash == services.sender_hash("192.0.2.66")


def test_a_busy_article_holds_comments_for_moderation_instead_of_refusing(
    client, article, settings
):
    moderation_set(POST)
    settings.VESTNIK_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.VESTNIK_COMMENTS_RATE_PER_ARTICLE = 2
    for n in range(2):
        assert _post_via(client, article, f"203.0.113.{n}").status_code == 303
    response = _post_via(client, article, "203.0.113.50")
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}?comment=held#comments"
    text = _text(_section(client.get(response["Location"])))
    assert "много комментариев" in text
    assert "на модерации" in text
    statuses = list(Comment.objects.order_by("created_at").values_list("status", flat=True))
    assert statuses == [Comment.Status.PUBLISHED] * 2 + [Comment.Status.PENDING]

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html
from wagtail.rich_text import RichText

from vestnik.news.models import ArticlePage

from . import factories

pytestmark = pytest.mark.django_db


def _seed_like_article(rubric, story):
    related_photo = factories.image(
        caption="Встреча Джо Байдена и Владимира Путина (в режиме видеоконференции)"
    )
    related = factories.article(
        rubric,
        title="Путин и Байден обсудили возможность еще одной встречи",
        lead_image=related_photo,
    )
    photo = factories.image(
        caption="Владимир Путин и Джо Байден", credit="Александр Земляниченко / AP"
    )
    article = factories.article(
        rubric,
        title="Песков рассказал о разногласиях Путина и Байдена",
        story=story,
        lead_image=photo,
        tags=["Владимир Путин", "Джо Байден"],
        body=[
            (
                "paragraph",
                RichText("<p>Президенты России и США расходятся в признании «красных линий».</p>"),
            ),
            ("related", {"article": related}),
            (
                "quote",
                {"text": "Была такая достигнута договоренность", "attribution": "Юрий Ушаков"},
            ),
        ],
    )
    return article, related


def _doc(response):
    return lxml_html.fromstring(response.content.decode())


def test_article_page_shows_the_seed_elements_in_the_seed_order(client, rubric, story):
    article, related = _seed_like_article(rubric, story)
    response = client.get(article.url)
    assert response.status_code == 200
    doc = _doc(response)
    text = " ".join(doc.body.text_content().split()).replace("\xa0", " ")
    order = [
        "Перейти к основному контенту",
        "Саммит Путина и Байдена",
        "Песков рассказал о разногласиях Путина и Байдена",
        "Владимир Путин и Джо Байден (Фото: Александр Земляниченко / AP)",
        "Президенты России и США",
        "Путин и Байден обсудили возможность еще одной встречи Политика Встреча Джо Байдена",
        "Была такая достигнута договоренность",
        "Теги Владимир Путин Джо Байден",
        "Лента новостей",
    ]
    positions = [text.find(fragment) for fragment in order]
    missing = [fragment for fragment, at in zip(order, positions, strict=True) if at == -1]
    assert not missing, (missing, text)
    assert positions == sorted(positions)
    assert (
        doc.xpath("//h1")[0].text_content().replace("\xa0", " ")
        == "Песков рассказал о разногласиях Путина и Байдена"
    )
    skip = doc.xpath("//a[@class='skip-link']")[0]
    assert skip.get("href") == "#main"
    assert doc.xpath("//main[@id='main']")
    story_link = doc.xpath("//a[@class='article__story-link']")[0]
    assert story_link.get("href") == story.url
    assert doc.xpath("string(//a[@class='article__comments'])").strip() == "0"


def test_article_page_carries_seo_metadata_and_newsarticle_json_ld(client, rubric, story):
    article, _ = _seed_like_article(rubric, story)
    doc = _doc(client.get(article.url))
    assert doc.xpath("string(//title)").startswith("Песков рассказал")
    assert doc.xpath("//link[@rel='canonical']/@href")[0].endswith(article.url)
    assert doc.xpath("//meta[@property='og:type']/@content") == ["article"]
    assert doc.xpath("//meta[@property='og:image']/@content")
    data = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["articleSection"] == "Политика"
    assert data["datePublished"].startswith(article.published_at.isoformat()[:16])


def test_related_card_disappears_when_its_article_is_unpublished_or_deleted(client, rubric, story):
    article, related = _seed_like_article(rubric, story)
    assert "related-card" in client.get(article.url).content.decode()
    related.unpublish()
    body = client.get(article.url).content.decode()
    assert "related-card" not in body
    related.delete()
    response = client.get(article.url)
    assert response.status_code == 200
    assert "related-card" not in response.content.decode()


def test_script_and_event_handlers_never_reach_the_page(client, rubric):
    payloads = [
        '<p>Текст<script>alert("x")</script></p>',
        '<p onmouseover="alert(1)">Наведите</p>',
        "<p><img src=x onerror=alert(1)>Картинка</p>",
        '<p><a href="javascript:alert(1)">Ссылка</a></p>',
        "<p><svg onload=alert(1)>svg</svg></p>",
        '<p><iframe src="https://evil.example"></iframe>Фрейм</p>',
    ]
    article = factories.article(rubric, body=[("paragraph", RichText(p)) for p in payloads])
    # Even content written around the sanitiser (raw database update) is cleaned on the way out.
    raw = list(article.body.raw_data)
    raw.append(
        {
            "type": "paragraph",
            "value": '<p onclick="alert(2)">Сырое<script>alert(3)</script></p>',
            "id": "x",
        }
    )
    ArticlePage.objects.filter(pk=article.pk).update(body=json.dumps(raw))
    body = client.get(article.url).content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    for bad in (
        "<script",
        "onerror",
        "onmouseover",
        "onclick",
        "onload",
        "javascript:",
        "<iframe",
        "<svg",
    ):
        assert bad not in main.lower(), bad
    assert "Наведите" in main
    assert "Сырое" in main


def test_an_article_without_tags_shows_no_tags_heading(client, rubric):
    article = factories.article(rubric, title="Без тегов")
    doc = _doc(client.get(article.url))
    assert doc.xpath('//*[@id="article-title"]')
    assert not doc.xpath('//*[@id="tags-title"]')


def test_unknown_url_gets_the_russian_404_page(client, home):
    response = client.get("/net-takoi-stranitsy/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert '<html lang="ru">' in response.content.decode()


def test_article_page_query_count_does_not_grow_with_the_archive(client, rubric, story):
    article, _ = _seed_like_article(rubric, story)
    client.get(article.url)  # warm renditions and site root caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(article.url).status_code == 200
    factories.articles(rubric, 60)
    with CaptureQueriesContext(connection) as large:
        assert client.get(article.url).status_code == 200
    assert len(small) == len(large)
    # With every fragment cold (the fragment cache is off in tests): the page, its tags, authors,
    # entities, «Читайте также», menu, rates widget and feed, each fixed, never per item. Warm
    # fragments bring it to 4 (vestnik/delivery/tests/test_fragments.py).
    assert len(large) <= 15, [q["sql"][:120] for q in large.captured_queries]


def test_view_restrictions_of_the_rubric_apply_to_its_articles(client, rubric):
    from wagtail.models import PageViewRestriction

    article = factories.article(rubric, title="Только для подписчиков")
    PageViewRestriction.objects.create(page=rubric, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert list(article.get_view_restrictions()) == list(PageViewRestriction.objects.all())

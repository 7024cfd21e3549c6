"""The article page's sections registry (vestnik.core.sections): a section shows in its slot, in
order, on a real article page, and goes when it is unregistered; the slots keep their caching."""

import re
from pathlib import Path

import pytest
from django.utils.html import format_html

from vestnik.core import sections
from vestnik.core.sections import Section
from vestnik.entities.models import ArticleEntity, Entity
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

NEWS_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "news"


def _marker(label: str):
    """A section that renders `<p class="test-section">label</p>`."""
    return lambda context: format_html('<p class="test-section">{}</p>', label)


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def article(rubric):
    article = factories.article(rubric, title="Песков рассказал о разногласиях", tags=["Кремль"])
    entity = Entity.objects.create(kind="per", name="Дмитрий Песков", slug="dmitriy-peskov")
    ArticleEntity.objects.create(
        article=article, entity=entity, status=ArticleEntity.ACCEPTED, live_mentions=1
    )
    return article


def test_the_apps_register_their_sections_in_ready():
    assert [s.name for s in sections.in_slot(sections.AFTER_BODY)] == ["promo_after_body"]
    assert [s.name for s in sections.in_slot(sections.AFTER_TAGS)] == ["entities"]
    assert [s.name for s in sections.in_slot(sections.BOTTOM)] == ["read_also"]
    assert [s.name for s in sections.in_slot(sections.AFTER_SHARED)] == ["comments"]
    assert [s.name for s in sections.in_slot(sections.SCRIPTS)] == ["comments_script"]


def test_a_section_shows_in_its_slot_by_order_and_goes_when_unregistered(client, article):
    late = Section("test_late", sections.AFTER_TAGS, render=_marker("late"), order=200)
    early = Section("test_early", sections.AFTER_TAGS, render=_marker("early"), order=50)
    with sections.registered(late), sections.registered(early):
        html = _html(client, article.url)
        tags_at = html.index('class="article__tags"')
        early_at = html.index('<p class="test-section">early</p>')
        entities_at = html.index('class="article__entities"')  # entities' own, order 100
        late_at = html.index('<p class="test-section">late</p>')
        assert tags_at < early_at < entities_at < late_at < html.index('id="comments"')

    html = _html(client, article.url)
    assert "test-section" not in html
    assert 'class="article__entities"' in html


def test_a_template_section_gets_the_context_it_asks_for(client, article):
    section = Section(
        "test_template",
        sections.AFTER_SHARED,
        template="entities/includes/article_entities.html",
        context=lambda context: {"entities": [Entity(name="Из раздела", slug="iz-razdela")]},
    )
    with sections.registered(section):
        html = _html(client, article.url)
    comments_at = html.index('id="comments"')
    assert html.index(">Из раздела</a>") > comments_at


def test_a_plain_string_is_escaped(client, article):
    section = Section("test_text", sections.BOTTOM, render=lambda context: "<b>Текст</b>")
    with sections.registered(section):
        html = _html(client, article.url)
    assert "&lt;b&gt;Текст&lt;/b&gt;" in html


def test_after_body_renders_per_request_and_after_tags_is_shared(client, article, settings):
    """In the cached article fragment, the after_body slot is a live hole; after_tags is kept."""
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE = False
    for slot in (sections.AFTER_BODY, sections.AFTER_TAGS):
        sections.register(
            Section(
                f"test_{slot}",
                slot,
                render=lambda context, slot=slot: format_html(
                    '<p class="test-section">{} {}</p>', slot, context["request"].GET.get("n")
                ),
            )
        )
    try:
        _html(client, article.url + "?n=1")
        html = _html(client, article.url + "?n=2")
    finally:
        sections.unregister(f"test_{sections.AFTER_BODY}")
        sections.unregister(f"test_{sections.AFTER_TAGS}")
    assert '<p class="test-section">after_body 2</p>' in html
    assert '<p class="test-section">after_tags 1</p>' in html


def test_registering_needs_a_known_slot_and_a_free_name():
    with pytest.raises(ValueError, match="Unknown article slot"):
        Section("test_nowhere", "sidebar", render=_marker("x"))
    for incomplete in ({}, {"template": "entities/includes/article_entities.html"}):
        with pytest.raises(ValueError, match="either a template and context or render"):
            Section("test_incomplete", sections.BOTTOM, **incomplete)
    with pytest.raises(ValueError, match="already registered"):
        sections.register(Section("comments", sections.BOTTOM, render=_marker("x")))
    assert [s.name for s in sections.in_slot(sections.AFTER_SHARED)] == ["comments"]


def test_news_templates_load_no_other_apps_tag_library():
    allowed = {"i18n", "static", "wagtailcore_tags", "wagtailimages_tags", "news_tags"}
    allowed |= {"core_sections", "delivery_tags"}  # delivery: the shared fragment and its holes
    allowed |= {"wagtailadmin_tags"}  # Wagtail's own, in news's admin templates
    templates = list(NEWS_TEMPLATES.rglob("*.html"))
    assert any(template.name == "article_page.html" for template in templates)
    for template in templates:
        for libraries in re.findall(r"{% load ([^%]+) %}", template.read_text(encoding="utf-8")):
            assert set(libraries.split()) <= allowed, template.name

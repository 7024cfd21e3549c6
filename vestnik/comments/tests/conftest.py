import pytest
from django.core.cache import cache

from vestnik.news.tests import factories as news_factories


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(rubric, story):
    return news_factories.article(rubric, title="Статья с комментариями", story=story)

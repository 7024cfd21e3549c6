import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


# Behind the work readers wait for (the search index, Wagtail's reference index): the worker
# takes higher priorities first, and the models' seconds would hold a retitle out of search.
@task(priority=-10)
def relate_article(article_id: int) -> int:
    try:
        return services.article_relate(article_id)
    except Exception:
        logger.exception("Related-article suggestions failed for article %s", article_id)
        raise

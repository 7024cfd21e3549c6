import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def relate_article(article_id: int) -> int:
    try:
        return services.article_relate(article_id)
    except Exception:
        logger.exception("Related-article suggestions failed for article %s", article_id)
        raise

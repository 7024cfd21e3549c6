from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from vestnik.feed.models import FeedEntry
from vestnik.feed.services import article_entry_upsert
from vestnik.news.selectors import articles_live


class Command(BaseCommand):
    help = "Rebuild the feed's article lines from the published articles (other sources' lines are kept)."

    @transaction.atomic
    def handle(self, *args, **options):
        FeedEntry.objects.filter(key__startswith="article:").delete()
        count = 0
        for article in articles_live().select_related("rubric").iterator(chunk_size=500):
            article_entry_upsert(article)
            count += 1
        self.stdout.write(
            self.style.SUCCESS(_("Feed rebuilt: %(count)s articles.") % {"count": count})
        )

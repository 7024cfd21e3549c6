from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vestnik.search.services import index_rebuild


class Command(BaseCommand):
    help = gettext_lazy("Rebuild the search index from the published articles")

    def handle(self, *args, **options):
        def progress(done, total):
            width = 30
            filled = width * done // max(total, 1)
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
            )
            self.stdout.flush()

        count = index_rebuild(progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Articles indexed: %(count)s") % {"count": count}))

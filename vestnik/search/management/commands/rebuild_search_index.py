from django.core.management.base import BaseCommand

from vestnik.search.services import index_rebuild


class Command(BaseCommand):
    help = "Пересобрать поисковый индекс из опубликованных статей"

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
        self.stdout.write(self.style.SUCCESS(f"Проиндексировано статей: {count}"))

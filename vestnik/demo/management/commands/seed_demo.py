from django.core.management.base import BaseCommand

from vestnik.demo.services import demo_analysis_queue, demo_seed, demo_users


class Command(BaseCommand):
    help = "Load the demo site (the seed article, its story, the feed, rubrics) and the demo accounts. Idempotent."

    def handle(self, *args, **options):
        loaded = demo_seed(progress=lambda message: self.stdout.write(f"  {message}"))
        if loaded:
            self.stdout.write(self.style.SUCCESS("Демо-контент загружен."))
            how = demo_analysis_queue()
            if how == "queue":
                self.stdout.write("Анализ статей (персоны, «Читайте также») поставлен в очередь.")
            elif how != "off":
                self.stdout.write(f"Анализ статей (персоны, «Читайте также») идёт в фоне: {how}")
        else:
            self.stdout.write("Демо-контент уже загружен, ничего не изменено.")
        self.stdout.write("Учётные записи для входа в редакцию (/admin/):")
        for username, password, role in demo_users():
            self.stdout.write(f"  {role}: {username} / {password}")

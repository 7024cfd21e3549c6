from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vestnik.news.services import newsroom_setup


class Command(BaseCommand):
    help = "Create the home page, the default site, the newsroom groups and the review workflow (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--site-name", default="Вестник")
        parser.add_argument("--hostname", default="localhost")
        parser.add_argument("--port", type=int, default=80)

    def handle(self, *args, site_name, hostname, port, **options):
        home = newsroom_setup(site_name=site_name, hostname=hostname, port=port)
        self.stdout.write(
            self.style.SUCCESS(
                _("Newsroom ready: home page “%(title)s” (id %(id)s).")
                % {"title": home.title, "id": home.pk}
            )
        )

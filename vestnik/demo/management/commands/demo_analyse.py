from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vestnik.demo.services import demo_analyse


class Command(BaseCommand):
    help = "Entity analysis and «Читайте также» for every live article (seed_demo starts it in the background)."

    def handle(self, *args, **options):
        count = demo_analyse(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS(_("Articles analysed: %(count)s.") % {"count": count}))

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vestnik.demo.services import demo_analysis_queue, demo_seed, demo_users


class Command(BaseCommand):
    help = "Load the demo site (the seed article, its story, the feed, rubrics) and the demo accounts. Idempotent."

    def handle(self, *args, **options):
        loaded = demo_seed(progress=lambda message: self.stdout.write(f"  {message}"))
        if loaded:
            self.stdout.write(self.style.SUCCESS(_("Demo content loaded.")))
            how = demo_analysis_queue()
            if how == "queue":
                self.stdout.write(_("Article analysis (people, “Read also”) is queued."))
            elif how != "off":
                self.stdout.write(
                    _("Article analysis (people, “Read also”) runs in the background: %(how)s")
                    % {"how": how}
                )
        else:
            self.stdout.write(_("Demo content is already loaded; nothing changed."))
        self.stdout.write(_("Newsroom accounts (/admin/):"))
        for username, password, role in demo_users():
            self.stdout.write(f"  {role}: {username} / {password}")

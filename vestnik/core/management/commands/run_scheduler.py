import signal

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vestnik.core import scheduler


class Command(BaseCommand):
    help = "Run scheduled work (scheduled publishing, rate imports…) until stopped. --once runs every job once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once=False, **options):
        jobs = scheduler.jobs_registered()
        if once:
            ran = scheduler.run_due(jobs, now=0)
            self.stdout.write(
                _("Jobs run: %(ran)s of %(total)s.") % {"ran": len(ran), "total": len(jobs)}
            )
            if len(ran) != len(jobs):
                raise SystemExit(1)
            return
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(
            _("Scheduler started: %(jobs)s")
            % {
                "jobs": ", ".join(
                    _("%(name)s every %(seconds)s s") % {"name": job.name, "seconds": job.every}
                    for job in jobs
                )
            }
        )
        scheduler.run_forever(jobs, should_stop=lambda: bool(stopping))
        self.stdout.write(_("Scheduler stopped."))

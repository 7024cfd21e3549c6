"""Print a new VAPID key pair as environment lines for .env (web push for «Молния»)."""

import re

from django.core.management.base import BaseCommand, CommandError

from vestnik.push.vapid import keys_generate

# RFC 8292: a mailto: address or an https: URL push services can reach the sender at.
SUBJECT = re.compile(r"^(mailto:[^@\s]+@[^@\s]+\.[^@\s]+|https://[^\s/]+\.[^\s]+)$")


class Command(BaseCommand):
    help = (
        "Generate a VAPID key pair for web push and print the VESTNIK_VAPID_* lines for .env. "
        "Changing keys later makes every existing subscription useless (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--subject",
            help="The contact push services may use: mailto:news@example.com or https://example.com",
        )

    def handle(self, *args, subject=None, **options):
        if subject is not None and not SUBJECT.match(subject):
            raise CommandError(
                f"--subject {subject!r}: нужен адрес вида mailto:news@example.com "
                "или https://example.com (RFC 8292)"
            )
        public, private = keys_generate()
        self.stdout.write(f"VESTNIK_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VESTNIK_VAPID_PRIVATE_KEY={private}")
        if subject:
            self.stdout.write(f"VESTNIK_VAPID_SUBJECT={subject}")
        else:
            self.stderr.write(
                "Добавьте VESTNIK_VAPID_SUBJECT=mailto:<адрес редакции> (или --subject): "
                "без него молнии не рассылаются."
            )

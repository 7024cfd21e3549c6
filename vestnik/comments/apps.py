from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vestnik.core import scheduler

# Who moderates: view, change and add on comments, blocks and article moderation settings; editors
# may not delete a comment (they reject it), administrators may, and set the comment rules.
_MODERATE = [
    f"comments.{action}_{model}"
    for model in ("comment", "block", "articlemoderation")
    for action in ("view", "change", "add", "delete")
    if (action, model) not in {("add", "comment"), ("delete", "comment")}
]


class CommentsConfig(AppConfig):
    name = "vestnik.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from vestnik.core import permissions

        from . import services, subscribers  # noqa: F401  (subscribers: comment_count on publish)

        permissions.grant(permissions.EDITORS, *_MODERATE)
        permissions.grant(
            permissions.ADMINS,
            *_MODERATE,
            "comments.delete_comment",
            "comments.change_commentsettings",
        )
        # Sends the digest of comments that came after the last one, once its window is over.
        scheduler.job_register("moderators_digest", services.moderators_digest_send, 60)

        self.register_article_sections()

    def register_article_sections(self):
        """The comments and their script on the article page (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import COMMENTS, SCRIPT

        register(COMMENTS)
        register(SCRIPT)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "vestnik.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from . import subscribers  # noqa: F401  (keeps ArticlePage.comment_count exact on publish)

        self.register_article_sections()

    def register_article_sections(self):
        """The comments and their script on the article page (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import COMMENTS, SCRIPT

        register(COMMENTS)
        register(SCRIPT)

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "vestnik.comments"
    label = "comments"
    verbose_name = "Комментарии"

    def ready(self):
        from . import subscribers  # noqa: F401  (keeps ArticlePage.comment_count exact on publish)

from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "vestnik.feed"
    label = "feed"
    verbose_name = "Лента новостей"

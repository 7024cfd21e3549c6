from django.urls import path

from . import feeds, paths, views

app_name = "feed"

urlpatterns = [
    path("news/", views.feed_page, name="page"),
    path(paths.STREAM.removeprefix("/"), views.feed_stream, name="stream"),
    path("news/latest.json", views.feed_latest_json, name="latest_json"),
    path("rss/", feeds.SiteFeed(), name="rss"),
    path("rss/yandex/", feeds.YandexFeed(), name="rss_yandex"),
    path("rss/dzen/", feeds.DzenFeed(), name="rss_dzen"),
    path("rss/story/<slug:slug>/", feeds.StoryFeed(), name="rss_story"),
    path("rss/<slug:slug>/", feeds.RubricFeed(), name="rss_rubric"),
]

"""Cache tags of the page being served, for the page cache (cache.py)."""

from wagtail import hooks

from vestnik.core.events import cache_tags_add

from . import tags


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    cache_tags_add(request, *tags.page_tags(page))

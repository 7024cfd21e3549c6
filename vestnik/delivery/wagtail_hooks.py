"""Cache tags of the page being served, for the page cache (cache.py)."""

from wagtail import hooks

from . import tags


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    tags.tag_request(request, *tags.page_tags(page))

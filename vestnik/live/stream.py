"""The broadcast's live updates, through the feed's per-channel stream (fix/channels).

One adapter, so the rest of the app names the channel, the key and the markup in one way:
`<ol data-channel="live-42" data-channel-last="…">`, `<li data-key="post:7">`.
"""

from vestnik.feed.selectors import channel_last_id
from vestnik.feed.services import channel_event

UPSERT = "upsert"
REMOVE = "remove"


def channel_name(page_id: int) -> str:
    return f"live-{page_id}"


def last_id(page_id: int) -> int:
    """Rendered into the page before its posts: a change in between is replayed, not lost."""
    return channel_last_id(channel_name(page_id))


def post_upsert(post, html: str) -> None:
    channel_event(
        channel_name(post.page_id),
        UPSERT,
        post.key,
        html=html,
        data={"pinned": post.pinned, "ts": post.posted_at.timestamp()},
    )


def post_remove(page_id: int, key: str) -> None:
    channel_event(channel_name(page_id), REMOVE, key)

"""Background work of the news app: a new photo's renditions are made before any reader asks.

A large original costs seconds per rendition (about 3 s at 50 MP); made here, after the upload
commits, the first reader of an article never waits for them (docs/security.md). The embedded
default runs it inline after the upload; VESTNIK_TASKS=database hands it to `db_worker`.
"""

import logging

from django_tasks import task

from .models import NewsImage

logger = logging.getLogger(__name__)

# Every filter spec the reader templates, news_tags and the admin's image pages ask for
# (a test checks the templates against this list).
RENDITION_SPECS = (
    "width-1200",
    "width-800",
    "width-480|jpegquality-55",
    "fill-1200x630",
    "fill-1280x720",
    "fill-640x360",
    "fill-480x270",
    "fill-320x180",
    "fill-320x180|jpegquality-50",
    "fill-160x90|jpegquality-50",
    "max-165x165",  # the admin's image listing and chooser
    "max-800x600",  # the admin's image edit page
)


@task()
def image_renditions_make(image_id: int) -> int:
    image = NewsImage.objects.filter(pk=image_id).first()
    if image is None:
        return 0  # deleted meanwhile
    try:
        return len(image.get_renditions(*RENDITION_SPECS))
    except Exception:
        # The photo is stored; renditions will be made on first use instead.
        logger.exception("Renditions failed for image %s", image_id)
        raise

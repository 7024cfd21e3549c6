"""Checks on uploaded video files: a video is accepted only if it really is one, and not too big.

The name decides the container (mp4/m4v/mov: ISO media, webm: Matroska) and only that demuxer
reads the file, so an HTML page or an SVG under a video name fails here, and ffmpeg never tries
its other parsers on what an author uploaded. Browsers must be able to play the video stream.
"""

from datetime import timedelta

import av
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension → the ffmpeg demuxer that must read it.
VIDEO_CONTAINERS = {"mp4": "mp4", "m4v": "mp4", "mov": "mov", "webm": "webm"}
# Video codecs current browsers play.
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}


def video_file_check(upload) -> timedelta | None:
    """Raise a Russian ValidationError unless `upload` (a Django File) is a playable video within
    VESTNIK_VIDEO_MAX_MB; return its duration when the container knows it."""
    limit_mb = settings.VESTNIK_VIDEO_MAX_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The video file is larger than %(limit)s MB.") % {"limit": limit_mb},
            code="video_too_large",
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in VIDEO_CONTAINERS:
        raise ValidationError(
            _(
                "Upload an MP4, MOV or WebM video (the file name must end in .mp4, .m4v, .mov or .webm)."
            ),
            code="video_extension",
        )
    source = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else upload
    if source is upload:
        upload.seek(0)
    try:
        with av.open(source, format=VIDEO_CONTAINERS[extension]) as container:
            streams = [
                stream
                for stream in container.streams.video
                if stream.codec_context.name in VIDEO_CODECS and stream.width and stream.height
            ]
            duration = container.duration
            if streams:
                # The headers can lie: demand an actual video packet.
                next(packet for packet in container.demux(streams[0]) if packet.size)
    except (av.FFmpegError, StopIteration, ValueError, OSError):
        streams = []
    finally:
        if source is upload:
            upload.seek(0)
    if not streams:
        raise ValidationError(
            _("This file is not a video browsers can play (H.264, HEVC, VP8, VP9 or AV1)."),
            code="video_invalid",
        )
    return timedelta(microseconds=duration) if duration and duration > 0 else None

"""A short WebM clip for the demo's video block, drawn frame by frame (PyAV with libvpx; no downloads)."""

import io

import av
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .images import _font

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 12, 4


def _frame(index: int) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (18, 24, 38))
    draw = ImageDraw.Draw(image)
    progress = index / (FPS * SECONDS)
    draw.rectangle([0, HEIGHT - 12, int(WIDTH * progress), HEIGHT], fill=(11, 87, 208))
    x = int(60 + (WIDTH - 180) * progress)
    draw.ellipse([x, 120, x + 60, 180], fill=(235, 225, 210))
    font = _font(28)
    if font:
        draw.text((30, 30), "Вестник · видео", font=font, fill=(255, 255, 255))
    return image


def demo_clip() -> ContentFile:
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.bit_rate = 200_000
        for index in range(FPS * SECONDS):
            for packet in stream.encode(av.VideoFrame.from_image(_frame(index))):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return ContentFile(buffer.getvalue(), name="peskov.webm")

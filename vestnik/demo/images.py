"""Pictures for the demo, drawn locally: nothing is downloaded."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size: int):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # no DejaVu on this machine: the picture goes without its label
        return None


def photo_jpeg(label: str, seed: int, size=(1600, 900)) -> ImageFile:
    """A gradient 'photo' with two figures and a label, stable for a given seed."""
    rng = random.Random(seed)
    width, height = size
    top = tuple(rng.randint(20, 90) for _ in range(3))
    bottom = tuple(rng.randint(120, 220) for _ in range(3))
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for i in range(2):
        cx = width * (0.33 + 0.34 * i)
        draw.ellipse([cx - 110, height * 0.28, cx + 110, height * 0.28 + 220], fill=(235, 225, 210))
        draw.rounded_rectangle(
            [cx - 190, height * 0.55, cx + 190, height + 40], radius=80, fill=(30, 35, 50)
        )
    font = _font(44)
    if font:
        draw.rectangle([0, height - 90, width, height], fill=(0, 0, 0))
        draw.text((40, height - 70), label[:60], font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ImageFile(buffer, name=f"demo-{seed}.jpg")


def promo_jpeg(label: str, size=(1280, 720)) -> ImageFile:
    """A promo banner: dark diagonal bands, a mortarboard-like mark and the course name."""
    width, height = size
    image = Image.new("RGB", size, (18, 32, 64))
    draw = ImageDraw.Draw(image)
    for i in range(-height, width, 90):
        draw.polygon(
            [(i, 0), (i + 45, 0), (i + 45 + height, height), (i + height, height)],
            fill=(24, 44, 88),
        )
    cx, cy = width * 0.78, height * 0.42
    draw.polygon(
        [(cx - 150, cy), (cx, cy - 70), (cx + 150, cy), (cx, cy + 70)], fill=(240, 190, 60)
    )
    draw.rectangle([cx - 80, cy + 20, cx + 80, cy + 110], fill=(240, 190, 60))
    font = _font(84)
    if font:
        draw.text((70, height * 0.34), label, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ImageFile(buffer, name="demo-promo.jpg")

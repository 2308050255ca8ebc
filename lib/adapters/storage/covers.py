"""Generated idea covers (Pillow only, nothing downloaded): a background in the idea's own colours
and pattern, a drawing of the kind of thing it is (read off the title, English or Korean), and its
initials in a font that has the title's script. Deterministic: the same title and seed, the same bytes."""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RGB = tuple[int, int, int]
Box = tuple[float, float, float, float]
Drawer = Callable[[ImageDraw.ImageDraw, Box, RGB, RGB], None]
SCALE = 1  # drawn at this multiple of the size, then reduced (2 smooths edges at 3x the CPU)

# (top, bottom, object, detail): colours that read well together and differ from one another.
PALETTES: list[tuple[RGB, RGB, RGB, RGB]] = [
    ((255, 237, 213), (251, 146, 60), (124, 45, 18), (255, 255, 255)),
    ((224, 242, 254), (56, 189, 248), (12, 74, 110), (254, 240, 138)),
    ((220, 252, 231), (74, 222, 128), (20, 83, 45), (254, 249, 195)),
    ((243, 232, 255), (192, 132, 252), (59, 7, 100), (253, 224, 71)),
    ((204, 251, 241), (45, 212, 191), (19, 78, 74), (255, 237, 213)),
    ((254, 249, 195), (250, 204, 21), (113, 63, 18), (255, 255, 255)),
    ((255, 228, 230), (251, 113, 133), (136, 19, 55), (255, 251, 235)),
    ((226, 232, 240), (100, 116, 139), (15, 23, 42), (125, 211, 252)),
    ((236, 252, 203), (132, 204, 22), (54, 83, 20), (255, 255, 255)),
    ((237, 233, 254), (129, 140, 248), (30, 27, 75), (251, 207, 232)),
    ((41, 37, 36), (120, 113, 108), (250, 250, 249), (251, 191, 36)),
    ((30, 58, 138), (59, 130, 246), (239, 246, 255), (250, 204, 21)),
]
_LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)
# Debian's fonts-nanum (.ci/run installs it); without one, Korean titles get a cover without initials.
_HANGUL_FONTS = ("/usr/share/fonts/truetype/nanum/NanumSquareB.ttf",
                 "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
                 "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
                 "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc")


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in text)


def _font_file(text: str) -> str | None:
    candidates = _HANGUL_FONTS if _has_hangul(text) else _LATIN_FONTS + _HANGUL_FONTS
    return next((c for c in candidates if Path(c).exists()), None)


def initials(title: str) -> str:
    """The first letter of the first two words; Hangul only where a font can draw it."""
    letters = [w[0] for w in title.split()[:2] if w[:1].isalnum()]
    if _font_file("".join(letters)) is None:
        letters = [ch for ch in letters if ch.isascii()]
    return "".join(letters).upper()


# ---- things to draw, each in the box it is given ----------------------------------------------------


def _plant(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.polygon([(x0 + w * .22, y0 + h * .58), (x1 - w * .22, y0 + h * .58), (x1 - w * .3, y1), (x0 + w * .3, y1)],
              fill=ink)
    d.rectangle([x0 + w * .18, y0 + h * .54, x1 - w * .18, y0 + h * .62], fill=ink)
    for dx, dy, r in ((-.16, .3, .17), (.16, .26, .19), (0, .12, .2)):
        cx, cy = x0 + w * (.5 + dx), y0 + h * dy
        d.ellipse([cx - w * r, cy - h * r * .7, cx + w * r, cy + h * r * .7], fill=detail, outline=ink, width=8)
    d.line([(x0 + w * .5, y0 + h * .55), (x0 + w * .5, y0 + h * .2)], fill=ink, width=10)


def _mug(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.ellipse([x1 - w * .38, y0 + h * .38, x1 - w * .02, y0 + h * .78], outline=ink, width=int(w * .07))
    d.rounded_rectangle([x0 + w * .12, y0 + h * .3, x1 - w * .25, y1], radius=w * .08, fill=ink)
    d.rectangle([x0 + w * .18, y0 + h * .5, x1 - w * .31, y0 + h * .6], fill=detail)
    for k in range(3):  # steam
        sx = x0 + w * (.25 + k * .14)
        d.arc([sx, y0, sx + w * .1, y0 + h * .26], 100, 260, fill=ink, width=8)


def _bottle(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.rectangle([x0 + w * .4, y0, x1 - w * .4, y0 + h * .14], fill=detail, outline=ink, width=6)
    d.rounded_rectangle([x0 + w * .25, y0 + h * .16, x1 - w * .25, y1], radius=w * .16, fill=ink)
    d.rounded_rectangle([x0 + w * .32, y0 + h * .45, x1 - w * .32, y0 + h * .75], radius=w * .04, fill=detail)


def _lamp(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.polygon([(x0 + w * .28, y0 + h * .05), (x1 - w * .28, y0 + h * .05), (x1 - w * .1, y0 + h * .4),
               (x0 + w * .1, y0 + h * .4)], fill=ink)
    d.ellipse([x0 + w * .4, y0 + h * .36, x1 - w * .4, y0 + h * .5], fill=detail)
    for k in range(5):  # light rays
        x = x0 + w * (.2 + k * .15)
        d.line([(x0 + w * .5, y0 + h * .45), (x, y0 + h * .7)], fill=detail, width=6)
    d.rectangle([x0 + w * .47, y0 + h * .4, x1 - w * .47, y1 - h * .06], fill=ink)
    d.rounded_rectangle([x0 + w * .26, y1 - h * .08, x1 - w * .26, y1], radius=12, fill=ink)


def _laptop(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle([x0 + w * .12, y0 + h * .18, x1 - w * .12, y0 + h * .72], radius=18, fill=ink)
    d.rectangle([x0 + w * .18, y0 + h * .24, x1 - w * .18, y0 + h * .66], fill=detail)
    d.polygon([(x0, y0 + h * .76), (x1, y0 + h * .76), (x1 - w * .06, y0 + h * .86), (x0 + w * .06, y0 + h * .86)],
              fill=ink)
    for k in range(4):
        d.line([(x0 + w * .24, y0 + h * (.32 + k * .08)), (x1 - w * (.24 + .1 * (k % 2)), y0 + h * (.32 + k * .08))],
               fill=ink, width=7)


def _stool(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.line([(x0 + w * .2, y0 + h * .3), (x1 - w * .2, y1)], fill=ink, width=int(w * .05))
    d.line([(x1 - w * .2, y0 + h * .3), (x0 + w * .2, y1)], fill=ink, width=int(w * .05))
    d.rounded_rectangle([x0 + w * .08, y0 + h * .2, x1 - w * .08, y0 + h * .34], radius=20, fill=detail,
                        outline=ink, width=8)


def _moon(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.ellipse([x0 + w * .1, y0 + h * .1, x1 - w * .1, y1 - h * .1], fill=detail)
    d.ellipse([x0 + w * .32, y0 + h * .02, x1 + w * .06, y1 - h * .22], fill=ink)
    for sx, sy in ((.8, .15), (.9, .5), (.7, .8)):
        cx, cy = x0 + w * sx, y0 + h * sy
        d.regular_polygon((cx, cy, w * .05), 4, rotation=45, fill=detail)


def _wheel(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    r = min(w, h) * .42
    cx, cy = x0 + w / 2, y0 + h / 2
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=ink, width=int(r * .16))
    for k in range(12):
        angle = math.radians(k * 30)
        d.line([(cx, cy), (cx + r * .9 * math.cos(angle), cy + r * .9 * math.sin(angle))], fill=ink, width=5)
    d.ellipse([cx - r * .14, cy - r * .14, cx + r * .14, cy + r * .14], fill=detail, outline=ink, width=6)


def _box(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle([x0 + w * .06, y0 + h * .3, x1 - w * .06, y1], radius=24, fill=ink)
    d.rounded_rectangle([x0, y0 + h * .18, x1, y0 + h * .34], radius=18, fill=detail, outline=ink, width=8)
    for k in (1, 2):
        x = x0 + w * k / 3
        d.line([(x, y0 + h * .4), (x, y1 - h * .08)], fill=detail, width=10)


def _cloth(d: ImageDraw.ImageDraw, b: Box, ink: RGB, detail: RGB) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    for k in range(3):  # three folded layers
        top = y0 + h * (.2 + k * .22)
        d.rounded_rectangle([x0 + w * (.05 + k * .04), top, x1 - w * (.05 + k * .04), top + h * .26], radius=30,
                            fill=ink if k % 2 == 0 else detail, outline=ink, width=8)
        for s in range(6):
            x = x0 + w * (.15 + s * .13)
            d.line([(x, top + h * .05), (x, top + h * .21)], fill=detail if k % 2 == 0 else ink, width=5)


# What a title is about, English and Korean: the first match draws.
THINGS: list[tuple[tuple[str, ...], Drawer]] = [
    (("plant", "herb", "planter", "garden", "화분", "식물", "허브"), _plant),
    (("coffee", "dripper", "pitcher", "brew", "mug", "tea", "cup", "soup", "커피", "머그", "차 "), _mug),
    (("bottle", "flask", "toiletry", "물병", "보틀", "텀블러"), _bottle),
    (("lamp", "light", "lantern", "sunrise", "glow", "랜턴", "조명", "램프"), _lamp),
    (("keyboard", "cable", "charging", "laptop", "monitor", "desk mat", "모니터", "노트북", "충전"), _laptop),
    (("stool", "chair", "balance board", "의자", "스툴"), _stool),
    (("sleep", "mask", "earplug", "pillow", "massager", "수면", "안대", "베개", "마사지"), _moon),
    (("bike", "wheel", "stroller", "자전거", "유모차"), _wheel),
    (("blanket", "mat", "wrap", "apron", "towel", "cover", "담요", "매트", "앞치마"), _cloth),
    (("box", "drawer", "divider", "organiser", "organizer", "rack", "lunch", "jar", "도시락", "수납", "정리"), _box),
]
_ANY = [drawer for _, drawer in THINGS]


def thing_for(title: str, digest: bytes) -> Drawer:
    lowered = f" {title.lower()} "
    for words, drawer in THINGS:
        if any(word in lowered for word in words):
            return drawer
    return _ANY[digest[5] % len(_ANY)]


# ---- backgrounds ----------------------------------------------------------------------------------------


def _background(size: tuple[int, int], top: RGB, bottom: RGB, detail: RGB, digest: bytes) -> Image.Image:
    """A vertical gradient with one of four patterns on it, placed by the hash."""
    width, height = size
    mask = Image.linear_gradient("L").resize((1, height)).resize(size, Image.Resampling.NEAREST)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    d = ImageDraw.Draw(image)
    tint = tuple(round(a * .3 + (b + c) / 2 * .7) for a, b, c in zip(detail, top, bottom, strict=True))
    style = digest[6] % 4
    if style == 0:  # soft rings
        for i in range(6):
            cx, cy, r = digest[7 + i] * width // 255, digest[13 + i] * height // 255, 60 + digest[19 + i] % 220
            d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=tint, width=10)
    elif style == 1:  # diagonal stripes
        step = 90 + digest[7] % 80
        for x in range(-height, width, step):
            d.line([(x, height), (x + height, 0)], fill=tint, width=step // 3)
    elif style == 2:  # dots
        step = 70 + digest[7] % 50
        for y in range(step // 2, height, step):
            for x in range(step // 2 + (y // step % 2) * step // 2, width, step):
                d.ellipse([x - 9, y - 9, x + 9, y + 9], fill=tint)
    else:  # waves
        for row in range(5):
            y = height * (row + 1) // 6
            d.arc([-width * .1, y - 80, width * .55, y + 80], 180, 360, fill=tint, width=14)
            d.arc([width * .45, y - 80, width * 1.1, y + 80], 0, 180, fill=tint, width=14)
    return image


def make_cover(title: str, seed: str, size: tuple[int, int] = (960, 540)) -> bytes:
    """The idea's cover as WebP bytes: its colours, pattern and drawn object, and its initials."""
    digest = hashlib.sha256(seed.encode()).digest()
    top, bottom, ink, detail = PALETTES[digest[0] % len(PALETTES)]
    width, height = size[0] * SCALE, size[1] * SCALE
    image = _background((width, height), top, bottom, detail, digest)
    d = ImageDraw.Draw(image)
    side = height * .72
    left = min(width * (.5 + (digest[4] % 10) / 100), width * .95 - side)  # right of the initials, all in view
    box = (left, (height - side) / 2, left + side, (height + side) / 2)
    d.ellipse([box[0] + side * .05, box[3] - side * .05, box[2] - side * .05, box[3] + side * .07],
              fill=tuple(max(0, c - 40) for c in bottom))  # its shadow
    thing_for(title, digest)(d, box, ink, detail)
    letters = initials(title)
    font_file = _font_file(letters) if letters else None
    if letters:
        font = ImageFont.truetype(font_file, height // 4) if font_file else ImageFont.load_default(size=height // 4)
        x, y = width * .08, height * .56
        bbox = d.textbbox((x, y), letters, font=font)
        pad = height * .04
        d.rounded_rectangle([bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad], radius=pad,
                            fill=ink)
        d.text((x, y), letters, font=font, fill=detail)
    out = io.BytesIO()
    (image.reduce(SCALE) if SCALE > 1 else image).save(out, "WEBP", quality=80, method=1)
    return out.getvalue()

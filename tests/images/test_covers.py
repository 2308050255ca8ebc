"""Generated covers: each product drawn as what it is, in its own colours, with initials in its script."""

from __future__ import annotations

import io

from PIL import Image

from lib.adapters.storage import covers
from lib.services.demo.content import IDEAS

TITLES = [title for title, *_ in IDEAS]


def test_korean_titles_get_hangul_initials_when_a_font_has_hangul(monkeypatch):
    assert covers.initials("휴대용 손목 마사지기") == "휴손"
    assert covers.initials("Cold brew pitcher") == "CB"
    monkeypatch.setattr(covers, "_HANGUL_FONTS", ())  # a machine without fonts-nanum
    assert covers.initials("휴대용 손목 마사지기") == "", "no tofu boxes: no initials instead"
    with Image.open(io.BytesIO(covers.make_cover("휴대용 손목 마사지기", "x"))) as image:
        assert image.size == (960, 540)


def test_a_korean_cover_shows_its_initials():
    with_initials = Image.open(io.BytesIO(covers.make_cover("휴대용 손목 마사지기", "seed")))
    blank = Image.open(io.BytesIO(covers.make_cover("... ...", "seed")))  # no letters to draw, same seed
    assert with_initials.crop((0, 270, 480, 540)).tobytes() != blank.crop((0, 270, 480, 540)).tobytes()


def test_products_are_drawn_as_what_they_are_in_colours_of_their_own():
    drawers = {title: covers.thing_for(title, b"\0" * 32) for title in TITLES}
    assert drawers["Cold brew pitcher with a fine mesh core"] is covers.THINGS[1][1]  # a mug/pitcher
    assert drawers["Stackable herb planter with self-watering wick"] is covers.THINGS[0][1]  # a plant
    assert drawers["캠핑용 접이식 랜턴"] is covers.THINGS[3][1]  # a lamp, read off the Korean title
    assert len(set(drawers.values())) >= 8, "not one template"
    corners = {Image.open(io.BytesIO(covers.make_cover(t, t))).getpixel((4, 4)) for t in TITLES[:12]}
    assert len(corners) >= 6, "backgrounds differ from product to product"

"""The seal's ring of characters: every name fits inside the ring, its glyphs apart, the bottom of the seal free."""

from __future__ import annotations

import math

import pytest

from app.certificates.marks import GLYPH_ASCENT, RING_MAX_SPREAD, ring_layout


@pytest.mark.parametrize("count", [1, 4, 8, 10, 13, 16, 20, 28])
def test_the_ring_text_fits_the_circle(count):
    layout = ring_layout(count)
    # The glyphs' tops touch the band's edge at most (the ring line is outside the band).
    assert layout.baseline + layout.size * GLYPH_ASCENT <= 1.0 + 1e-9
    # Neighbours do not overlap: at the glyphs' middle, the chord between two centres is at least a glyph wide.
    middle = layout.baseline + layout.size * (GLYPH_ASCENT - 0.5)
    chord = 2 * middle * math.sin(math.radians(layout.step) / 2)
    assert chord >= layout.size
    # The characters stay off the bottom quarter, where the motto is, and are centred on the top.
    assert layout.spread <= RING_MAX_SPREAD + 1e-9 and layout.step * count == pytest.approx(layout.spread)


def test_a_long_name_gets_smaller_glyphs_a_short_one_is_spread():
    assert ring_layout(28).size < ring_layout(10).size
    assert ring_layout(4).spread >= 150

"""Names are partly masked on public verification pages."""

from __future__ import annotations

import pytest

from app.domain.masking import mask_name


@pytest.mark.parametrize(
    "name, masked",
    [
        ("邯郸示范科技有限公司", "邯郸****有限公司"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("", ""),
        (None, ""),
        ("𠀀𪚥龘科技😀有限公司", "𠀀𪚥****有限公司"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked

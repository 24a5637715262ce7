"""Partial masking of parties' names on public pages (verification shows who, without exposing it in full)."""

from __future__ import annotations


def mask_name(name: str | None) -> str:
    """Keep the first two and the last four characters of an organisation's name, the first of a short one:
    邯郸示范科技有限公司 → 邯郸****有限公司; 张三 → 张*."""
    if not name:
        return ""
    if len(name) <= 3:
        return name[0] + "*" * (len(name) - 1)
    if len(name) <= 6:
        return name[:1] + "*" * (len(name) - 2) + name[-1:]
    return name[:2] + "*" * (len(name) - 6) + name[-4:]

"""Time: stored in UTC, shown and dated in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def today_local() -> date:
    """Today's calendar date in Asia/Shanghai (filing dates, signing-date checks)."""
    return datetime.now(SHANGHAI).date()


def local(moment: datetime | None) -> datetime | None:
    """An aware datetime converted to Asia/Shanghai for display."""
    return None if moment is None else moment.astimezone(SHANGHAI)

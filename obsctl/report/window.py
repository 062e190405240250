"""The report's time window: the period, the period before it, and the chart bucket size.

Both periods end on a whole hour (UTC), as CloudWatch recommends for GetMetricData: buckets then line up
with hours and every requested period is a multiple of the retention granularity of older data (1-minute
data is kept 15 days, 5-minute 63 days, 1-hour 455 days), so `--days` up to 90 reads the previous period
from hourly data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_DAYS = 90
# CloudWatch keeps metric data 15 months (Amazon CloudWatch User Guide, "Metrics concepts", metric retention:
# 1-minute data 15 days, 5-minute data 63 days, 1-hour data 455 days). A period older than that reads as zeros,
# so the previous period may start at most this many days ago. Past 63 days only hourly data is left: every
# period the report asks for is whole hours (`bucket_seconds`, `period_seconds`) from a whole hour, so old data
# is read at the resolution CloudWatch keeps.
METRIC_RETENTION_DAYS = 455


@dataclass(frozen=True)
class Window:
    end: datetime  # exclusive, a whole hour, UTC
    days: int

    @property
    def length(self) -> timedelta:
        return timedelta(days=self.days)

    @property
    def start(self) -> datetime:
        """Start of the reported period (inclusive)."""
        return self.end - self.length

    @property
    def previous_start(self) -> datetime:
        """Start of the period before, which ends where the reported period starts."""
        return self.end - 2 * self.length

    @property
    def period_seconds(self) -> int:
        return self.days * 86_400

    @property
    def bucket_seconds(self) -> int:
        """Chart resolution: hourly up to two weeks (at most 672 points a series), daily beyond."""
        return 3_600 if self.days <= 14 else 86_400

    def is_current(self, timestamp: datetime) -> bool:
        return timestamp >= self.start


def parse_end(value: str | None, now: datetime | None = None) -> datetime:
    """`--end`: an ISO date or date-time (UTC unless it says otherwise), rounded down to the hour; default:
    the last whole hour. ValueError names the option, the value and the fix."""
    if value is None:
        moment = now or datetime.now(UTC)
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"--end {value!r} is not a date or date-time; fix: use e.g. 2025-06-30 or 2025-06-30T12:00"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if moment > (now or datetime.now(UTC)):
            raise ValueError(f"--end {value!r} is in the future; fix: use a past date-time or omit --end")
    moment = moment.astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def window(days: int, end: str | None, now: datetime | None = None) -> Window:
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"--days {days} is out of range; fix: use 1 to {MAX_DAYS}")
    now = now or datetime.now(UTC)
    span = Window(parse_end(end, now), days)
    oldest = now - timedelta(days=METRIC_RETENTION_DAYS)
    if span.previous_start < oldest:
        earliest = oldest + 2 * span.length
        if earliest != earliest.replace(minute=0, second=0, microsecond=0):
            earliest = earliest.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        raise ValueError(
            f"--end {end!r}: the period before it would start {span.previous_start:%Y-%m-%d %H:%M} UTC, more than "
            f"{METRIC_RETENTION_DAYS} days ago, where CloudWatch keeps no metrics (the report would show zeros); "
            f"fix: use --end {earliest:%Y-%m-%dT%H:%M} or later with --days {days}"
        )
    return span

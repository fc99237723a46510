# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The weeks of the order cycles: pure functions, no database."""
import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


def week_code(date):
    "The ISO week of date, as '2026-W49'."
    year, week, _ = date.isocalendar()
    return f'{year}-W{week:02d}'


def week_monday(date):
    "The Monday of the ISO week of date."
    return date - dt.timedelta(days=date.weekday())


def to_utc(date, time, timezone):
    """The naive UTC datetime (as Tryton stores them) of the local date and
    time in timezone (a name, or None for UTC)."""
    local = dt.datetime.combine(date, time,
        tzinfo=ZoneInfo(timezone) if timezone else UTC)
    return local.astimezone(UTC).replace(tzinfo=None)


def cycle_dates(monday, delivery_weekday, open_days, open_time,
        close_days, close_time, timezone=None):
    """The delivery date, opening and closing datetimes (naive UTC) of the
    cycle of the week starting on monday: delivered on delivery_weekday
    (0 is Monday), opened open_days before delivery at open_time, closed
    close_days before delivery at close_time (local times in timezone)."""
    delivery = monday + dt.timedelta(days=delivery_weekday)
    opens = to_utc(delivery - dt.timedelta(days=open_days), open_time,
        timezone)
    closes = to_utc(delivery - dt.timedelta(days=close_days), close_time,
        timezone)
    return delivery, opens, closes


def weeks_to_open(today, delivery_weekday, close_days, weeks_ahead):
    """The Mondays of the weeks whose cycle should exist on today: from the
    first week whose close day is not past, weeks_ahead weeks."""
    monday = week_monday(today)
    last_close = (monday + dt.timedelta(days=delivery_weekday)
        - dt.timedelta(days=close_days))
    if last_close < today:
        monday += dt.timedelta(days=7)
    return [monday + dt.timedelta(days=7 * i)
        for i in range(max(weeks_ahead, 1))]

"""Temperature checks of the cold rooms (food-safety self-checks), free of
any Tryton import.

Times are naive datetimes in UTC, as Tryton stores them; a day is the
garden's local day."""
import datetime as dt
from zoneinfo import ZoneInfo


def negative_range(minimum, maximum):
    "Whether the range from minimum to maximum (°C) is negative."
    return minimum is not None and maximum is not None and minimum > maximum


def out_of_range(temperature, minimum, maximum):
    """Whether temperature lies outside the range from minimum to maximum,
    bounds included in the range; a missing bound does not limit."""
    if temperature is None:
        return False
    return ((minimum is not None and temperature < minimum)
        or (maximum is not None and temperature > maximum))


def _zone(timezone):
    return ZoneInfo(timezone) if timezone else dt.timezone.utc


def day_bounds(day, timezone=None):
    """(start, end): the UTC times at which the local day starts and the
    next one starts, in the timezone named timezone (UTC if None)."""
    zone = _zone(timezone)
    return tuple(
        dt.datetime.combine(d, dt.time(), tzinfo=zone)
        .astimezone(dt.timezone.utc).replace(tzinfo=None)
        for d in [day, day + dt.timedelta(days=1)])


def local_time(moment, timezone=None):
    "The UTC time moment as a naive local time in the timezone named timezone."
    return (moment.replace(tzinfo=dt.timezone.utc)
        .astimezone(_zone(timezone)).replace(tzinfo=None))


def local_date(moment, timezone=None):
    "The local date of the UTC time moment in the timezone named timezone."
    return local_time(moment, timezone).date()


def rooms_without_reading(rooms, readings, day, timezone=None):
    """The rooms, in their order, of which no reading was taken on the
    local day; readings are (room, UTC time) pairs."""
    read = {room for room, moment in readings
        if local_date(moment, timezone) == day}
    return [room for room in rooms if room not in read]

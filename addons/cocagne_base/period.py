"""Date periods, free of any Tryton import."""


def overlaps(a_start, a_end, b_start, b_end):
    """Return whether two periods share a day, both ends included; an end
    of None means the period has no end."""
    return ((b_end is None or a_start <= b_end)
        and (a_end is None or b_start <= a_end))

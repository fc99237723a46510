"""Geographic helpers, free of any Tryton import."""
import math

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def valid_latitude(value):
    "Return whether value is a latitude in degrees (None is accepted)."
    return value is None or -90 <= value <= 90


def valid_longitude(value):
    "Return whether value is a longitude in degrees (None is accepted)."
    return value is None or -180 <= value <= 180


def haversine(lat1, lon1, lat2, lon2):
    """Return the great-circle distance in kilometres between two points
    given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = (math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance(origin, destination, ndigits=None):
    """Return the distance in km between two (latitude, longitude) pairs,
    rounded to ndigits when given, or None when either is unknown."""
    if not origin or not destination or None in origin or None in destination:
        return None
    km = haversine(*origin, *destination)
    return round(km, ndigits) if ndigits is not None else km


def map_url(latitude, longitude, zoom=15):
    "Return the OpenStreetMap address showing the point, None if unknown."
    if latitude is None or longitude is None:
        return None
    return (f'https://www.openstreetmap.org/?mlat={latitude:.6f}'
        f'&mlon={longitude:.6f}#map={zoom}/{latitude:.6f}/{longitude:.6f}')

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Party addresses, geolocated like the places."""
from trytond.pool import PoolMeta

from .place import GeolocatedMixin


class Address(GeolocatedMixin, metaclass=PoolMeta):
    __name__ = 'party.address'

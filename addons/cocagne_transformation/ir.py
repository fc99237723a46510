"""Scheduled jobs of the processing units."""
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('cocagne.cold_room.reading|report_missing',
                "Report Missing Cold Room Readings"))

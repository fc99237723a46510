"""Scheduled jobs of the gardens."""
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('cocagne.organic.certificate|report_lapses',
                "Report Lapsing Organic Certificates"))

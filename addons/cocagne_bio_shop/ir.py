# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Scheduled jobs of the order cycles."""
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('cocagne.order_cycle.template|generate_cycles',
                    "Create the Recurring Order Cycles"),
                ('cocagne.order_cycle|open_due', "Open the Order Cycles Due"),
                ('cocagne.order_cycle|close_due',
                    "Close the Order Cycles Due"),
                ])

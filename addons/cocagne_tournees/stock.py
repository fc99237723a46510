"""Stock moves that a run makes: loading, unloading and losses."""
from trytond.pool import PoolMeta


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['cocagne.round.run.line']

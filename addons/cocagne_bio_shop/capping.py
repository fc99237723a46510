# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Caps that are never overrun, even by orders placed at the same instant.

An offer's cap (quantity) and a pickup place's capacity (orders) are taken
by one conditional UPDATE: it adds to the taken counter only while the sum
stays within the cap, and says whether it did. On PostgreSQL, Tryton's
transactions are REPEATABLE READ: there two orders updating one counter
would fail to serialise, be retried, and end in an HTTP 503. So the
counter is changed in a short transaction of its own, READ COMMITTED, in
which the second order waits for the first and then sees its result; it is
committed at once, and given back if the order's transaction rolls back.
SQLite serialises the writing transactions: the update runs inline."""
from collections import defaultdict
from decimal import Decimal
from weakref import WeakKeyDictionary

from sql import Literal, Null

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction

# what counts as within the cap, for quantities stored as floats
EPSILON = 1e-9


class CappedMixin:
    """A model with a cap (`_cap_field`, empty: no cap) and a stored
    counter of what is taken (`_taken_field`) changed only by take()."""
    __slots__ = ()
    _cap_field = 'cap'
    _taken_field = 'taken'

    @classmethod
    def take(cls, deltas):
        """Add each delta of {id: delta} to the counter of record id.
        Return {id: what remains under its cap} of a record whose positive
        delta would overrun its cap; then nothing is changed at all."""
        deltas = {i: float(d) for i, d in deltas.items() if d}
        if not deltas:
            return {}
        transaction = Transaction()
        local = {i for i in deltas if i in _written(cls)}
        if backend.name != 'postgresql' or set(deltas) <= local:
            return cls._take(transaction, deltas)
        with transaction.new_transaction() as autonomous:
            # nothing has run on its connection yet: no transaction is open
            autonomous.connection.isolation_level = _read_committed()
            cursor = autonomous.connection.cursor()
            cursor.execute("SET LOCAL lock_timeout = '20s'")
            refused = cls._take(autonomous, deltas)
            if refused:
                autonomous.rollback()
                return refused
        transaction.join(_GiveBack(cls, deltas))
        cls._clear_cache(transaction, deltas)
        return {}

    @classmethod
    def _take(cls, transaction, deltas):
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        cap = getattr(table, cls._cap_field)
        taken = getattr(table, cls._taken_field)
        done = {}
        for id_, delta in sorted(deltas.items()):
            where = table.id == id_
            if delta > 0:
                where &= ((cap == Null)
                    | (taken + Literal(delta) <= cap + Literal(EPSILON)))
            cursor.execute(*table.update([taken], [taken + Literal(delta)],
                    where=where))
            if cursor.rowcount != 1:
                if done:
                    cls._take(transaction, {i: -d for i, d in done.items()})
                # what remains as this transaction sees it, the latest
                cursor.execute(*table.select(cap - taken,
                        where=table.id == id_))
                remaining, = cursor.fetchone()
                return {id_: max(remaining or 0, 0)}
            done[id_] = delta
        cls._clear_cache(transaction, deltas)
        return {}

    @classmethod
    def _clear_cache(cls, transaction, deltas):
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                for id_ in deltas:
                    cache[cls.__name__].pop(id_, None)

    @classmethod
    def create(cls, vlist):
        records = super().create(vlist)
        _written(cls).update(map(int, records))
        return records

    @classmethod
    def write(cls, *args):
        super().write(*args)
        _written(cls).update(int(r) for rs in args[::2] for r in rs)


_WRITTEN = WeakKeyDictionary()


def _written(Model):
    """The ids of Model created or written in this transaction: their rows
    are locked by it (another transaction would wait for it), so they are
    taken inline."""
    written = _WRITTEN.setdefault(Transaction(), defaultdict(set))
    return written[Model.__name__]


def _read_committed():
    from psycopg import IsolationLevel
    return IsolationLevel.READ_COMMITTED


class _GiveBack:
    "Give the taken quantities back if the transaction rolls back."

    def __init__(self, Model, deltas):
        self.model = Model.__name__
        self.deltas = deltas

    def __eq__(self, other):
        return False

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        pass

    def tpc_abort(self, transaction):
        Model = Pool().get(self.model)
        with transaction.new_transaction() as autonomous:
            autonomous.connection.isolation_level = _read_committed()
            Model._take(autonomous, {i: -d for i, d in self.deltas.items()})


def to_float(quantity):
    "quantity (Decimal, float or None) as a float."
    if isinstance(quantity, Decimal):
        return float(quantity)
    return quantity or 0.0

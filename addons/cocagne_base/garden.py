# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Records owned by a garden (a company): a *Jardin* column for the users
who see several gardens, and access errors that speak of gardens."""
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import GardenAccessError


class GardenOwnedMixin:
    """Mixin of the models with a company field: the company column of their lists shows only when the
    user sees several gardens, and reading or changing a record of a garden
    not shown raises GardenAccessError instead of the rule groups' list."""
    __slots__ = ()

    @classmethod
    def view_attributes(cls):
        company = '/tree/field[@name="company"]'
        return super().view_attributes() + [
            (company + '[@optional]', 'optional', 0),
            (company, 'tree_invisible', Eval('company_count', 0) < 2),
            ]

    @classmethod
    def read(cls, ids, fields_names):
        try:
            return super().read(ids, fields_names)
        except AccessError:
            cls._check_garden_access(ids)
            raise

    @classmethod
    def write(cls, *args):
        try:
            super().write(*args)
        except AccessError:
            cls._check_garden_access(
                [r.id for records in args[::2] for r in records])
            raise

    @classmethod
    def delete(cls, records):
        try:
            super().delete(records)
        except AccessError:
            cls._check_garden_access([r.id for r in records])
            raise

    @classmethod
    def _check_garden_access(cls, ids):
        """Raise GardenAccessError if some of ids belong to a garden whose
        records the user does not see: naming the record and its garden if
        the user works for it, keeping the record secret otherwise."""
        pool = Pool()
        User = pool.get('res.user')
        Model = pool.get('ir.model')
        shown = set(User.get_companies())
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            user = User(Transaction().user)
            allowed = {c.id for c in user.companies}
            hidden = [r for r in cls.search([('id', 'in', list(ids))])
                if r.company and r.company.id not in shown]
            if not hidden:
                return
            foreign = [r for r in hidden if r.company.id not in allowed]
            if foreign:
                raise GardenAccessError(gettext(
                        'cocagne_base.msg_garden_access_other',
                        garden=foreign[0].company.rec_name))
            record = hidden[0]
            raise GardenAccessError(gettext(
                    'cocagne_base.msg_garden_access_not_selected',
                    record=record.rec_name,
                    model=Model.get_name(cls.__name__),
                    garden=record.company.rec_name))


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def _get_preferences(cls, user, context_only=False):
        # company_count: the gardens whose records the user sees, read by
        # the views (GardenOwnedMixin) to show a garden column or not
        preferences = super()._get_preferences(
            user, context_only=context_only)
        with Transaction().set_user(user.id):
            preferences['company_count'] = len(cls.get_companies())
        return preferences


class Place(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'cocagne.place'


class Certificate(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'cocagne.organic.certificate'


class Contract(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'cocagne.employee.contract'


class WorkforceHours(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'cocagne.workforce.hours'


class Employee(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'company.employee'


class Party(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'party.party'


class Template(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'product.template'


class Location(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'stock.location'


class Work(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'timesheet.work'


class Line(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'timesheet.line'

"""Gardens: each garden of the network is a company."""
from sql.aggregate import Count

from trytond.model import Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

GARDEN_KINDS = [
    (None, ""),
    ('aci', "ACI garden"),
    ('association', "Association"),
    ('cooperative', "Cooperative"),
    ('company', "Company"),
    ]


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    garden_kind = fields.Selection(
        GARDEN_KINDS, "Garden Kind",
        help="The legal form under which the garden works.")
    network_code = fields.Char(
        "Network Code", strip=True,
        help="The code of the garden in the Cocagne network.")

    user_allowed = fields.Function(
        fields.Boolean("Allowed to Me",
            help="The current user may work for this garden."),
        'get_user_allowed', searcher='search_user_allowed')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('network_code_unique', Unique(t, t.network_code),
                'cocagne_base.msg_company_network_code_unique'),
            ]

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        super().on_modification(mode, companies, field_names=field_names)
        if mode in {'create', 'write'} and (
                field_names is None or 'party' in field_names):
            cls.share_parties(companies)

    @classmethod
    def share_parties(cls, companies):
        """Share the parties of the gardens with the whole network, as the
        network view and every garden's documents show them."""
        Party = Pool().get('party.party')
        parties = [c.party for c in companies if c.party.company]
        if parties:
            Party.write(parties, {'company': None})

    @classmethod
    def _user_companies(cls):
        User = Pool().get('res.user')
        return {c.id for c in User(Transaction().user).companies}

    @classmethod
    def get_user_allowed(cls, companies, name):
        allowed = cls._user_companies()
        return {c.id: c.id in allowed for c in companies}

    @classmethod
    def search_user_allowed(cls, name, clause):
        _, operator, value = clause
        operator = 'in' if (operator == '=') == bool(value) else 'not in'
        return [('id', operator, list(cls._user_companies()))]

    @property
    def coordinates(self):
        "The (latitude, longitude) of the garden's first geolocated address."
        return self.party.coordinates

    @classmethod
    def count_by_company(cls, companies, table, where, column=None):
        """Return {company id: count} of the distinct values of column
        (the row id by default) among the rows of table matching where,
        for a key figure of the network view. The table must have a
        company column."""
        cursor = Transaction().connection.cursor()
        ids = [c.id for c in companies]
        column = column or table.id
        counts = dict.fromkeys(ids, 0)
        cursor.execute(*table.select(
                table.company, Count(column, distinct=True),
                where=where & fields.SQL_OPERATORS['in'](table.company, ids),
                group_by=[table.company]))
        counts.update(cursor)
        return counts

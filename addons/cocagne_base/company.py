"""Gardens: each garden of the network is a company."""
from collections import defaultdict

from sql import Literal, Null
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
    local_radius = fields.Float(
        "Local Radius (km)", digits=(6, 1), required=True,
        help="Producers within this distance of the garden are local.")

    site_count = fields.Function(
        fields.Integer("Sites"), 'get_network_figures')
    place_count = fields.Function(
        fields.Integer("Places"), 'get_network_figures')
    producer_count = fields.Function(
        fields.Integer("Producers"), 'get_network_figures')
    certified_producer_count = fields.Function(
        fields.Integer("Certified Producers"), 'get_network_figures')
    insertion_employee_count = fields.Function(
        fields.Integer("Insertion Employees",
            help="Employees under an insertion contract today."),
        'get_network_figures')
    insertion_hours = fields.Function(
        fields.Float("Insertion Hours", digits=(16, 1),
            help="Hours worked this year by employees under an insertion "
            "contract."),
        'get_network_figures')

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
    def default_local_radius(cls):
        return 150.0

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
    def get_network_figures(cls, companies, names):
        pool = Pool()
        Location = pool.get('stock.location')
        Place = pool.get('cocagne.place')
        Party = pool.get('party.party')
        Certificate = pool.get('cocagne.organic.certificate')
        Contract = pool.get('cocagne.employee.contract')
        Hours = pool.get('cocagne.workforce.hours')
        Date = pool.get('ir.date')
        cursor = Transaction().connection.cursor()
        ids = [c.id for c in companies]
        today = Date.today()
        result = {n: defaultdict(int) for n in names}

        def count(name, table, where, column=None):
            if name not in names:
                return
            company = table.company
            column = column or table.id
            cursor.execute(*table.select(
                    company, Count(column, distinct=True),
                    where=where & company.in_(ids), group_by=[company]))
            result[name].update(cursor)

        location = Location.__table__()
        count('site_count', location,
            (location.type == 'warehouse')
            & (location.active == Literal(True)))
        place = Place.__table__()
        count('place_count', place, place.active == Literal(True))
        party = Party.__table__()
        count('producer_count', party,
            (party.producer == Literal(True))
            & (party.active == Literal(True)))
        certificate = Certificate.__table__()
        count('certified_producer_count', certificate,
            (certificate.valid_from <= today)
            & (certificate.valid_to >= today),
            column=certificate.producer)
        contract = Contract.__table__()
        current = ((contract.kind == 'insertion')
            & (contract.start_date <= today)
            & ((contract.end_date == Null) | (contract.end_date >= today)))
        count('insertion_employee_count', contract, current,
            column=contract.employee)
        if 'insertion_hours' in names:
            with Transaction().set_context(
                    from_date=today.replace(month=1, day=1), to_date=today):
                rows = Hours.search([
                        ('company', 'in', ids),
                        ('contract_kind', '=', 'insertion'),
                        ])
            for row in rows:
                result['insertion_hours'][row.company.id] += row.hours
        return {n: {i: result[n][i] for i in ids} for n in names}

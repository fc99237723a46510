"""Sites: the warehouses of a garden, by kind of activity."""
from sql import Literal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

SITE_KINDS = [
    (None, ""),
    ('plots', "Production plots"),
    ('legumerie', "Vegetable processing unit"),
    ('conserverie', "Cannery"),
    ('logistics', "Logistics platform"),
    ('shop', "Shop"),
    ('van', "Van"),
    ('kitchen', "Kitchen"),
    ]
# The zones that a warehouse needs: field, message of its name, code suffix
SITE_ZONES = [
    ('input_location', 'cocagne_base.msg_site_zone_input', 'IN'),
    ('output_location', 'cocagne_base.msg_site_zone_output', 'OUT'),
    ('storage_location', 'cocagne_base.msg_site_zone_storage', 'STO'),
    ]


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'
    company = fields.Many2One(
        'company.company', "Garden",
        states={
            'invisible': Eval('type') != 'warehouse',
            'required': Eval('type') == 'warehouse',
            },
        help="The garden that runs this site.")
    site_kind = fields.Selection(
        SITE_KINDS, "Site Kind",
        states={
            'invisible': Eval('type') != 'warehouse',
            },
        help="The activity carried out on this site.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def preprocess_values(cls, mode, values):
        "Give a new site the zones it lacks, so a site needs only a name."
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('type') == 'warehouse':
            missing = [z for z in SITE_ZONES if not values.get(z[0])]
            if missing:
                code = values.get('code')
                zones = cls.create([{
                            'name': gettext(message),
                            'code': f'{code}-{suffix}' if code else None,
                            'type': 'storage',
                            'company': values.get(
                                'company', cls.default_company()),
                            } for _, message, suffix in missing])
                values.update(
                    (field, zone.id)
                    for (field, _, _), zone in zip(missing, zones))
        return values


class Location_SalePoint(metaclass=PoolMeta):
    __name__ = 'stock.location'
    sale_points = fields.Function(
        fields.Many2Many('sale.point', None, None, "Sale Points",
            states={
                'invisible': Eval('type') != 'warehouse',
                },
            help="The points of sale that sell from the stock of this "
            "site."),
        'get_sale_points')

    @classmethod
    def get_sale_points(cls, locations, name):
        SalePoint = Pool().get('sale.point')
        points = {loc.id: [] for loc in locations}
        warehouses = [loc for loc in locations if loc.type == 'warehouse']
        if warehouses:
            for point in SalePoint.search([
                        ('storage_location', 'child_of',
                            [w.id for w in warehouses], 'parent'),
                        ], order=[('name', 'ASC')]):
                warehouse = point.storage_location.warehouse
                if warehouse and warehouse.id in points:
                    points[warehouse.id].append(point.id)
        return points


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    site_count = fields.Function(
        fields.Integer("Sites", help="The active sites of the garden."),
        'get_site_count')

    @classmethod
    def get_site_count(cls, companies, name):
        location = Pool().get('stock.location').__table__()
        return cls.count_by_company(companies, location,
            (location.type == 'warehouse')
            & (location.active == Literal(True)))

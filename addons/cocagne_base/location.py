"""Sites: the warehouses of a garden, by kind of activity."""
from trytond.model import fields
from trytond.pool import PoolMeta
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

"""Products: origin, producer, organic claim, allergens and season."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .allergen import ALLERGENS

ORIGINS = [
    ('own', "Own production"),
    ('partner', "Partner farm"),
    ('processed', "Processed here"),
    ('bought', "Bought"),
    ]
MONTHS = [
    ('01', "January"), ('02', "February"), ('03', "March"), ('04', "April"),
    ('05', "May"), ('06', "June"), ('07', "July"), ('08', "August"),
    ('09', "September"), ('10', "October"), ('11', "November"),
    ('12', "December"),
    ]


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'
    company = fields.Many2One(
        'company.company', "Garden",
        states={
            'required': Eval('origin') == 'partner',
            },
        help="The garden that sells this product.\n"
        "Leave empty to share the product with the whole network.")
    origin = fields.Selection(ORIGINS, "Origin", required=True)
    producer = fields.Many2One(
        'party.party', "Producer",
        domain=[
            ('producer', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'invisible': Eval('origin') != 'partner',
            'required': Eval('origin') == 'partner',
            },
        help="The partner farm that grows the product.")
    organic = fields.Boolean(
        "Organic",
        help="Certified organic (Regulation (EU) 2018/848).\n"
        "A partner product may be organic only while its producer holds "
        "a valid certificate.")
    agricultural = fields.Boolean(
        "Agricultural Ingredient",
        help="Counts in the organic share of a recipe.\n"
        "Water and salt are not agricultural ingredients.")
    allergens = fields.MultiSelection(
        ALLERGENS, "Allergens",
        help="The substances of Annex II of Regulation (EU) 1169/2011 "
        "that the product contains.")
    season_months = fields.MultiSelection(
        MONTHS, "Season", sort=False,
        help="The months when the product is available.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_origin(cls):
        return 'own'

    @classmethod
    def default_organic(cls):
        return False

    @classmethod
    def default_agricultural(cls):
        return True

    @fields.depends('origin', 'producer')
    def on_change_origin(self):
        if self.origin != 'partner':
            self.producer = None

    @fields.depends('producer', '_parent_producer.company')
    def on_change_producer(self):
        if self.producer and self.producer.company:
            self.company = self.producer.company

    @classmethod
    def validate_fields(cls, templates, field_names):
        super().validate_fields(templates, field_names)
        if field_names & {'company', 'producer'}:
            cls.check_producer_garden(templates)
        if field_names & {'organic', 'origin', 'producer'}:
            cls.check_organic(templates)

    @classmethod
    def check_producer_garden(cls, templates):
        for template in templates:
            if (template.producer
                    and template.producer.company != template.company):
                raise ValidationError(gettext(
                        'cocagne_base.msg_product_producer_other_garden',
                        product=template.rec_name,
                        producer=template.producer.rec_name))

    @classmethod
    def check_organic(cls, templates):
        "Refuse the organic claim of a partner product without certificate."
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        today = Date.today()
        for template in templates:
            if (template.organic and template.origin == 'partner'
                    and template.producer
                    and not template.producer.organic_certified_on(today)):
                raise ValidationError(gettext(
                        'cocagne_base.msg_product_organic_uncertified',
                        product=template.rec_name,
                        producer=template.producer.rec_name,
                        date=Lang.get().strftime(today)))

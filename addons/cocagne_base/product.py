"""Products: origin, producer, organic claim, allergens and season."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .allergen import ALLERGENS
from .exceptions import OrganicError, ProductError

ORIGINS = [
    ('own', "Own production"),
    ('partner', "Partner farm"),
    ('processed', "Processed here"),
    ('bought', "Bought"),
    ]
# what a product of each origin usually is: its unit (XML id in product),
# whether the garden sells it and whether it buys it
ORIGIN_PRESETS = {
    'own': ('uom_kilogram', True, False),
    'partner': ('uom_kilogram', True, True),
    'processed': ('uom_unit', True, False),
    'bought': ('uom_unit', False, True),
    }


def allergen_names():
    "{key: name in the context's language} of the 14 allergens."
    Template = Pool().get('product.template')
    return dict(Template.fields_get(['allergens'])['allergens']['selection'])


def sold_by_weight(product):
    "Whether product is sold by a unit of weight (it is weighed)."
    ModelData = Pool().get('ir.model.data')
    return (product.sale_uom.category.id
        == ModelData.get_id('product', 'uom_cat_weight'))


@classmethod
def get_months(cls):
    "The months, numbered '01' to '12', named in the user's language."
    Month = Pool().get('ir.calendar.month')
    return [(f'{i:02d}', name)
        for i, name in enumerate(Month.locale()) if name]


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
        'get_months', "Season", sort=False,
        help="The months when the product is available.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_allergens(cls):
        # none rather than unknown: the web client shows both as an empty
        # list and would write [] back into a product just opened
        return []

    @classmethod
    def default_origin(cls):
        return 'own'

    @classmethod
    def _default_preset(cls):
        "The presets of the origin that the action gives, if any."
        origin = Transaction().context.get('default_origin')
        return ORIGIN_PRESETS.get(origin)

    @classmethod
    def default_default_uom(cls):
        if preset := cls._default_preset():
            return Pool().get('ir.model.data').get_id('product', preset[0])

    @classmethod
    def default_sale_uom(cls):
        return cls.default_default_uom()

    @classmethod
    def default_purchase_uom(cls):
        return cls.default_default_uom()

    @classmethod
    def default_salable(cls):
        if preset := cls._default_preset():
            return preset[1]

    @classmethod
    def default_purchasable(cls):
        if preset := cls._default_preset():
            return preset[2]

    get_months = get_months

    @classmethod
    def default_organic(cls):
        return False

    @classmethod
    def default_agricultural(cls):
        return True

    @fields.depends('origin', 'producer', 'default_uom',
        methods=['on_change_default_uom'])
    def on_change_origin(self):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Uom = pool.get('product.uom')
        if self.origin != 'partner':
            self.producer = None
        if self.origin in ORIGIN_PRESETS and (self.id is None or self.id < 0):
            uom, self.salable, self.purchasable = ORIGIN_PRESETS[self.origin]
            self.default_uom = Uom(ModelData.get_id('product', uom))
            self.on_change_default_uom()

    @fields.depends('organic', 'origin', 'producer', 'name', 'rec_name')
    def on_change_notify(self):
        notifications = super().on_change_notify()
        if message := self.organic_uncertified_message():
            notifications.append(('warning', message))
        return notifications

    def organic_uncertified_message(self):
        """The message refusing the organic claim, if the product is a
        partner product whose producer holds no certificate valid today."""
        pool = Pool()
        today = pool.get('ir.date').today()
        if (self.organic and self.origin == 'partner' and self.producer
                and not self.producer.organic_certified_on(today)):
            return gettext(
                'cocagne_base.msg_product_organic_uncertified',
                product=self.rec_name or self.name or '',
                producer=self.producer.rec_name,
                date=pool.get('ir.lang').get().strftime(today))

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
                raise ProductError(gettext(
                        'cocagne_base.msg_product_producer_other_garden',
                        product=template.rec_name,
                        producer=template.producer.rec_name))

    @classmethod
    def check_organic(cls, templates):
        "Refuse the organic claim of a partner product without certificate."
        for template in templates:
            if message := template.organic_uncertified_message():
                raise OrganicError(message)


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'
    # the season of the template, shown on the variants
    get_months = get_months

"""Products: origin, producer, organic claim, allergens, season and the
food particulars of their distance sale."""
import re
from html import escape

from genshi.core import Markup
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
EU_COUNTRIES = frozenset([
        'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR',
        'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL',
        'PT', 'RO', 'SE', 'SI', 'SK'])
# Reg. (EU) 2018/848 art. 32(2): the place where the agricultural raw
# materials of an organic product were farmed, in French
FARMING = {
    'FR': "Agriculture France",
    'EU': "Agriculture UE",
    'non-EU': "Agriculture non UE",
    'EU/non-EU': "Agriculture UE/non UE",
    }
# the origins of fresh produce, sold as it was harvested
FRESH_ORIGINS = {'own', 'partner'}
# INCO Annex V point 1: the exemption of fresh produce, in French
NUTRITION_EXEMPT_UNPROCESSED = ("Dispensé de déclaration nutritionnelle : "
    "produit non transformé comprenant un seul ingrédient (règlement (UE) "
    "1169/2011, annexe V, point 1)")
# INCO Annex V point 19: the exemption of a food made in small quantities
# and supplied directly by its maker, in French
NUTRITION_EXEMPT_SMALL_PRODUCER = ("Dispensé de déclaration nutritionnelle : "
    "petite quantité fournie directement par le producteur (règlement (UE) "
    "1169/2011, annexe V, point 19)")
# what a food not made by a recipe of the garden is, for its nutrition
# declaration: the exemption that it benefits from
FOOD_KINDS = [
    (None, ""),
    ('fresh', "Unprocessed, single ingredient"),
    ('small_producer', "Processed by a small producer"),
    ]
NUTRITION_EXEMPTIONS = {
    'fresh': NUTRITION_EXEMPT_UNPROCESSED,
    'small_producer': NUTRITION_EXEMPT_SMALL_PRODUCER,
    }
# a word in capitals (two letters at least, French ones included) and the
# words in capitals that follow it ("FRUITS À COQUE", "L'ŒUF")
_CAPITAL = r"(?<!\w)[A-ZÀ-ÖØ-ÞŒŸ]+(?!\w)"
CAPITALS = re.compile(rf"{_CAPITAL}(?:[ '’-]+{_CAPITAL})*")


def farming_area(country):
    "'EU' or 'non-EU': where the country of ISO code country lies."
    if country in EU_COUNTRIES or country == 'EU':
        return 'EU'
    return 'non-EU'


def country_farming(country):
    """The place of farming of the raw materials all farmed in the country
    of ISO code country: "Agriculture France" for France."""
    return FARMING['FR' if country == 'FR' else farming_area(country)]


def ingredients_markup(text):
    """The ingredient list text typed as on a producer's label, as HTML
    (Markup): escaped, the words in capitals, which emphasise the allergens
    of a typed list (INCO art. 21), in <strong>. None if text is empty."""
    if not text or not text.strip():
        return None

    def strong(match):
        word = match.group()
        if sum(c.isalpha() for c in word) < 2:
            return word
        return f'<strong>{word}</strong>'
    return Markup(CAPITALS.sub(strong,
            escape(' '.join(text.split()), quote=False)))


def ingredients_parts(text):
    """The ingredient list and its footnote (the lines starting with "*")
    of text, typed as on a producer's label; each None when empty."""
    lines = [line.strip() for line in (text or '').splitlines()]
    footnote = ' '.join(line for line in lines if line.startswith('*'))
    listed = ' '.join(line for line in lines
        if line and not line.startswith('*'))
    return listed or None, footnote or None


def allergen_names():
    "{key: name in the context's language} of the 14 allergens."
    Template = Pool().get('product.template')
    return dict(Template.fields_get(['allergens'])['allergens']['selection'])


def sold_by_weight(product):
    "Whether product is sold by a unit of weight (it is weighed)."
    ModelData = Pool().get('ir.model.data')
    return (product.sale_uom.category.id
        == ModelData.get_id('product', 'uom_cat_weight'))


def allergen_list(codes):
    "The names of the allergens of codes, in the order of Annex II."
    return [name for code, name in allergen_names().items()
        if code in (codes or [])]


def operator_particulars(party):
    """The name and the address on one line of party, the food business
    operator of a label or a distance sale."""
    address = party.address_get()
    return {
        'name': party.name,
        'address': (address.full_address.replace('\n', ', ')
            if address and address.full_address else None),
        }


@classmethod
def get_months(cls):
    "The months, numbered '01' to '12', named in the user's language."
    Month = Pool().get('ir.calendar.month')
    return [(f'{i:02d}', name)
        for i, name in enumerate(Month.locale()) if name]


# the food information of a product not made by a recipe of the garden
FOOD_STATES = {
    'invisible': Eval('origin') == 'processed',
    }


def origin_food_kind(origin):
    "The food kind that a product of origin usually is."
    return 'fresh' if origin in FRESH_ORIGINS else None


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
    food_kind = fields.Selection(
        FOOD_KINDS, "Food Kind", states=FOOD_STATES,
        help="For the nutrition declaration (Regulation (EU) 1169/2011 "
        "annex V), if not made by a recipe of the garden:\n"
        "- unprocessed, single ingredient (vegetables, fruit, eggs, "
        "honey): exempt by point 1;\n"
        "- processed by a small producer who supplies it directly "
        "(bread, butter, cheese, juice): exempt by point 19.")
    food_ingredients = fields.Text(
        "Ingredients", states=FOOD_STATES,
        help="The ingredient list as on the producer's label, the "
        "allergens in capitals: \"Farine de BLÉ*, eau, sel\".\n"
        "A line starting with \"*\" is its footnote: \"*Ingrédients "
        "issus de l'agriculture biologique\".")
    food_net_quantity = fields.Char(
        "Net Quantity", states=FOOD_STATES,
        help="As on the producer's label: \"250 g\", \"75 cl\".\n"
        "Leave empty for a product weighed when sold.")
    food_storage = fields.Text(
        "Storage Conditions", states=FOOD_STATES,
        help="As on the producer's label: \"À conserver entre 0 et "
        "6 °C\".")

    @classmethod
    def __register__(cls, module):
        cursor = Transaction().connection.cursor()
        table_h = cls.__table_handler__(module)
        added = not table_h.column_exist('food_kind')

        super().__register__(module)

        # Migration from 8.0.0: the food kind that the origin gave
        if added:
            table = cls.__table__()
            cursor.execute(*table.update([table.food_kind],
                    [origin_food_kind(None)],
                    where=~table.origin.in_(list(FRESH_ORIGINS))))

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="cocagne_food"]', 'states', FOOD_STATES),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def create(cls, vlist):
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if 'food_kind' not in values and 'origin' in values:
                values['food_kind'] = origin_food_kind(values['origin'])
        return super().create(vlist)

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
    def default_food_kind(cls):
        return origin_food_kind(Transaction().context.get('default_origin')
            or cls.default_origin())

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

    @fields.depends('origin', 'producer', 'default_uom', 'food_kind',
        methods=['on_change_default_uom'])
    def on_change_origin(self):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Uom = pool.get('product.uom')
        if self.origin != 'partner':
            self.producer = None
        if self.origin in ORIGIN_PRESETS and (self.id is None or self.id < 0):
            uom, self.salable, self.purchasable = ORIGIN_PRESETS[self.origin]
            self.food_kind = origin_food_kind(self.origin)
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

    def food_operator(self, company=None):
        """The party under whose name the product is sold: its producer for
        a partner farm's product, else its garden's (company, the
        product's or, for a product of the network, the current one's), or
        None."""
        if self.origin == 'partner' and self.producer:
            return self.producer
        company = company or self.company
        if not company and (company_id := self.default_company()):
            company = Pool().get('company.company')(company_id)
        return company.party if company else None

    def farming_country(self, company=None):
        """The ISO code of the country where the product was farmed: that of
        its food_operator(company), France when unknown; None if bought."""
        if self.origin not in {'own', 'partner', 'processed'}:
            return None
        party = self.food_operator(company)
        address = party.address_get() if party else None
        if address and address.country:
            return address.country.code
        return 'FR'

    def food_particulars(self, date=None):
        """The food particulars that a distance sale shows before purchase
        (Regulation (EU) 1169/2011 art. 14: those of art. 9 but the date),
        a dictionary; here those of the product's food information, for a
        product not made by a recipe of the garden: the ingredient list as
        HTML (the allergens typed in capitals in <strong>) and its
        footnote, the net quantity, the storage conditions and the
        exemption from the nutrition declaration of its food kind (INCO
        Annex V point 1 for unprocessed produce, point 19 for the food of
        a small producer).

        The place of farming is given for an organic product whose operator
        holds an organic certificate valid on date (today by default)."""
        date = date or Pool().get('ir.date').today()
        party = self.food_operator()
        country = self.farming_country()
        organic = (self.organic and party
            and party.organic_certified_on(date))
        ingredients, footnote = ingredients_parts(self.food_ingredients)
        return {
            'name': self.name,
            'ingredients': ingredients_markup(ingredients),
            'ingredients_footnote': footnote,
            'allergens': allergen_list(self.allergens),
            'net_quantity': self.food_net_quantity or None,
            'storage': (self.food_storage or '').strip() or None,
            'operator': operator_particulars(party) if party else None,
            'nutrition': None,
            'nutrition_exempt': NUTRITION_EXEMPTIONS.get(self.food_kind),
            'farming': (country_farming(country)
                if organic and country else None),
            }

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

"""Catering events: a sale quoted per cover on a menu, with service staff
hours and, with cocagne_tournees, a delivery by one of the garden's rounds;
its deposit is an advance payment (sale_advance_payment)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import CateringError, MenuError

CATERING_LINE_KINDS = [
    (None, ""),
    ('cover', "Covers"),
    ('staff', "Service Staff"),
    ('delivery', "Delivery"),
    ]
CATERING_FIELDS = [
    'catering_cover_product', 'catering_staff_product',
    'catering_delivery_product', 'catering_advance_payment_term']


def _product(string, help=None, company=None):
    "A service product of the settings; company: the PYSON of its garden."
    return fields.Many2One(
        'product.product', string,
        domain=[
            ('salable', '=', True),
            ('type', '=', 'service'),
            ],
        context={'company': company} if company else {},
        depends={'company'} if company else set(),
        help=help)


class Configuration(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration'
    catering_cover_product = fields.MultiValue(_product(
            "Catering Cover Product",
            "The service sold per cover on a catering quote."))
    catering_staff_product = fields.MultiValue(_product(
            "Service Staff Product",
            "The service sold per hour of service staff."))
    catering_delivery_product = fields.MultiValue(_product(
            "Catering Delivery Product",
            "The service sold for a delivery by a round."))
    catering_advance_payment_term = fields.MultiValue(fields.Many2One(
            'sale.advance_payment_term', "Catering Deposit",
            help="The advance payment term of the catering quotes, "
            "e.g. a deposit of 30 %."))

    @classmethod
    def multivalue_model(cls, field):
        if field in CATERING_FIELDS:
            return Pool().get('cocagne.configuration.transformation')
        return super().multivalue_model(field)


class ConfigurationTransformation(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration.transformation'
    catering_cover_product = _product(
        "Catering Cover Product", company=Eval('company', -1))
    catering_staff_product = _product(
        "Service Staff Product", company=Eval('company', -1))
    catering_delivery_product = _product(
        "Catering Delivery Product", company=Eval('company', -1))
    catering_advance_payment_term = fields.Many2One(
        'sale.advance_payment_term', "Catering Deposit")


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'
    catering_menu = fields.Many2One(
        'cocagne.catering.menu', "Catering Menu",
        states={
            'readonly': Eval('state') != 'draft',
            },
        help="The menu of a catering event: the sale is then quoted per "
        "cover.")
    event_date = fields.Date(
        "Event Date",
        states={
            'required': Bool(Eval('catering_menu')),
            'invisible': ~Eval('catering_menu'),
            'readonly': Eval('state') != 'draft',
            })
    event_place = fields.Many2One(
        'cocagne.place', "Event Place",
        states={
            'invisible': ~Eval('catering_menu'),
            'readonly': Eval('state') != 'draft',
            })
    covers = fields.Integer(
        "Covers",
        states={
            'required': Bool(Eval('catering_menu')),
            'invisible': ~Eval('catering_menu'),
            'readonly': Eval('state') != 'draft',
            })
    price_per_cover = fields.Numeric(
        "Price per Cover", digits=(16, 4),
        states={
            'required': Bool(Eval('catering_menu')),
            'invisible': ~Eval('catering_menu'),
            'readonly': Eval('state') != 'draft',
            },
        help="Taxes excluded; the menu's price by default.")
    staff_hours = fields.Float(
        "Service Staff Hours", digits=(6, 2),
        states={
            'invisible': ~Eval('catering_menu'),
            'readonly': Eval('state') != 'draft',
            },
        help="The hours of service staff at the event, sold with it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'update_catering': {
                    'invisible': (~Eval('catering_menu')
                        | (Eval('state') != 'draft')),
                    'depends': ['catering_menu', 'state'],
                    },
                })

    @fields.depends('catering_menu', 'price_per_cover', 'company',
        'advance_payment_term')
    def on_change_catering_menu(self):
        """Take the menu's price per cover and the garden's deposit term,
        which a public buyer's quote may clear (they pay after the
        service)."""
        if self.catering_menu and self.catering_menu.price_per_cover:
            self.price_per_cover = self.catering_menu.price_per_cover
        if (self.catering_menu and self.company
                and not self.advance_payment_term):
            self.advance_payment_term = self.garden_config(
                'catering_advance_payment_term', required=False)

    @classmethod
    def validate(cls, sales):
        super().validate(sales)
        for sale in sales:
            sale.check_catering()

    def check_catering(self):
        "Refuse an event of no cover or on a menu of another garden."
        if not self.catering_menu:
            return
        if not self.covers or self.covers <= 0:
            raise CateringError(gettext(
                    'cocagne_transformation.msg_event_no_covers',
                    sale=self.event_name))
        if self.catering_menu.company != self.company:
            raise MenuError(gettext(
                    'cocagne_transformation.msg_event_menu_garden',
                    sale=self.event_name, menu=self.catering_menu.rec_name,
                    garden=self.catering_menu.company.rec_name))

    @property
    def event_name(self):
        "The number of the sale, or its customer while it has none."
        return self.number or (self.party.rec_name if self.party else '')

    @classmethod
    @ModelView.button
    def update_catering(cls, sales):
        cls.make_catering_lines(sales)

    @classmethod
    def make_catering_lines(cls, sales):
        """Replace the catering lines of the draft sales by the covers,
        staff hours and delivery of their event."""
        pool = Pool()
        Line = pool.get('sale.line')
        sales = [s for s in sales if s.catering_menu and s.state == 'draft']
        Line.delete([l for s in sales for l in s.lines if l.catering_kind])
        Line.save([l for s in sales for l in s.catering_lines()])

    @classmethod
    def quote(cls, sales):
        # the quote always follows the event's covers, hours and delivery
        cls.make_catering_lines(sales)
        super().quote(cls.browse(sales))

    def garden_config(self, name, required=True):
        "The catering setting name of the sale's garden."
        Configuration = Pool().get('cocagne.configuration')
        value = Configuration(1).get_multivalue(
            name, company=self.company.id)
        if required and not value:
            field = Configuration.fields_get([name])[name]['string']
            raise CateringError(gettext(
                    'cocagne_transformation.msg_catering_configuration',
                    sale=self.event_name, field=field,
                    garden=self.company.rec_name))
        return value

    def catering_lines(self):
        "The sale lines of the event: covers, staff hours, delivery."
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get(self.party.lang.code if self.party.lang else None)
        menu = self.catering_menu
        description = gettext(
            'cocagne_transformation.msg_event_cover_line',
            menu=menu.name, covers=self.covers,
            date=lang.strftime(self.event_date))
        lines = [self._catering_line('cover', self.garden_config(
                    'catering_cover_product'), self.covers,
                self.price_per_cover, description)]
        if self.staff_hours:
            lines.append(self._catering_line('staff', self.garden_config(
                        'catering_staff_product'), self.staff_hours))
        if self.catering_delivery():
            lines.append(self._catering_line('delivery', self.garden_config(
                        'catering_delivery_product'), 1))
        return lines

    def catering_delivery(self):
        "Whether the event is delivered (by a round with cocagne_tournees)."
        return False

    def _catering_line(self, kind, product, quantity, unit_price=None,
            description=None):
        Line = Pool().get('sale.line')
        line = Line(sale=self, type='line', product=product,
            quantity=quantity, catering_kind=kind)
        line.unit = product.sale_uom
        with Transaction().set_context(line._get_context_sale_price()):
            line.on_change_product()
        if unit_price is not None:
            line.unit_price = unit_price
        if description:
            line.description = description
        return line


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'
    catering_kind = fields.Selection(
        CATERING_LINE_KINDS, "Catering Line", readonly=True,
        help="A line that the catering event makes, remade by "
        "\"Update the quote\".")


class SaleRound(metaclass=PoolMeta):
    "The delivery of an event by a round (cocagne_tournees)."
    __name__ = 'sale.sale'
    delivery_round = fields.Many2One(
        'cocagne.round', "Delivery Round",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'invisible': ~Eval('catering_menu'),
            'readonly': Eval('state') != 'draft',
            },
        help="The round that delivers the event.")

    def catering_delivery(self):
        return super().catering_delivery() or bool(self.delivery_round)

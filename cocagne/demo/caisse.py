"""The cashier screen of the producers' shop of the Rennes garden.

The shop's till sells from the shop at Thorigné; the garden's user
(rennes) rings up at it, the network's cashiers may give 5 % off a line.
The vegetables sold by weight have the scale code that the shop's scale
prints in its barcodes, the partner farms' jars an EAN-13. Yesterday's
session is closed, its count 0,50 € short (the gap booked with its reason);
today's is open, with the first tickets of the morning. Random but seeded:
the same day gives the same demo."""
import datetime as dt
import random
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from stdnum import ean

from trytond.modules.cocagne_caisse.tender import discounted

from ..config import PRICE_DECIMAL
from . import tills
from .common import company_context, ref, today
from .network import load_fiscalyear

GARDEN = 'rennes'
SEED = 36
TILL = ("Caisse de la boutique de Thorigné", 'TK-BOU-')
SHOP = 'RN-BOU'
GAP = ("Écart de caisse", '658')
FLOAT = Decimal('150')
# the largest discount rate of the tills' users (group sale_point)
CASHIER_DISCOUNT = Decimal('0.05')
# the EAN-13 of the jars: a GS1 France company prefix and a serial
EAN_PREFIX = '37601234'
# tickets yesterday and this morning, lines on a ticket, how they are paid
TICKETS, MORNING, LINES = 28, 6, (1, 5)
PAYMENTS = {"Espèces": 0.45, "Carte bancaire": 0.45, "Chèque": 0.05,
    "Titres-restaurant": 0.05}
SHORT = Decimal('-0.50')


def loaded():
    "Whether the shop's till has its history."
    Sale = Model.get('sale.point.sale')
    return bool(Sale.find([('point.name', '=', TILL[0])], limit=1))


def load_caisse(gardens):
    "The shop's till of the Rennes garden and two days of its tickets."
    company = gardens[GARDEN]
    if loaded():
        return
    config = get_config()
    with company_context(company):
        load_fiscalyear(company, today() - dt.timedelta(days=1))
        till = _till(company)
        _cashiers(till)
        shop_products = _products(company)
        _codes(shop_products)
        rng = random.Random(SEED)
        products = _shelf(till, shop_products)
        methods = [m for m in tills.load_methods(company)
            if m.name in PAYMENTS]
        yesterday = today() - dt.timedelta(days=1)
        _ring_up(company, till, yesterday, TICKETS, products, methods, rng,
            config)
        _close(company, till, yesterday)
        _ring_up(company, till, today(), MORNING, products, methods, rng,
            config)


def _till(company):
    "The shop's till, its gaps of count booked to account 658."
    Location = Model.get('stock.location')
    shop, = Location.find([('code', '=', SHOP)])
    till = tills.load_till(company, *TILL, shop.storage_location)
    tills.load_methods(company)
    till.gap_type = tills.transfer_type(company, *GAP)
    till.save()
    return till


def _cashiers(till):
    """The garden's user sells at the shop's till; the users of the tills
    may give 5 % off a line."""
    User = Model.get('res.user')
    Group = Model.get('res.group')
    user, = User.find([('login', '=', GARDEN)])
    user.sale_point = till
    user.save()
    group = Group(ref('sale_point', 'group_sale_point'))
    group.caisse_max_discount = CASHIER_DISCOUNT
    group.save()


def _products(company):
    "The garden's own goods for sale."
    Product = Model.get('product.product')
    return Product.find([('template.company', '=', company.id),
            ('salable', '=', True), ('type', '=', 'goods')],
        order=[('id', 'ASC')])


def _codes(products):
    """The scale codes of the products sold by weight, and an EAN for
    those sold by the unit, where they have none."""
    Identifier = Model.get('product.identifier')
    new = []
    for serial, product in enumerate(products, 1):
        if product.identifiers:
            continue
        if product.default_uom.symbol == 'kg':
            code = f'{serial:05d}'
            kind = 'scale'
        else:
            code = f'{EAN_PREFIX}{serial:04d}'
            code += ean.calc_check_digit(code)
            kind = 'ean'
        new.append(Identifier(product=product, type=kind, code=code))
    Identifier.save(new)


def _shelf(till, products):
    "{product: (gross price, unit price, unit)} of products on till."
    prices = tills.prices(till, products, today())
    return {p: (*prices[p], p.default_uom.symbol) for p in products
        if prices[p][0] is not None}


def _ring_up(company, till, date, count, products, methods, rng, config):
    """count tickets of date at till, paid and posted; a few weighed lines,
    now and then a line 5 % off."""
    Sale = Model.get('sale.point.sale')
    shelf = list(products)
    values = []
    for _ in range(count):
        lines, total = [], Decimal(0)
        for product in rng.sample(shelf, rng.randint(*LINES)):
            gross, price, unit = products[product]
            quantity = (round(rng.uniform(0.3, 2.5), 2) if unit == 'kg'
                else rng.randint(1, 3))
            discount = CASHIER_DISCOUNT if rng.random() < 0.08 else 0
            if discount:
                gross = discounted(gross, discount, PRICE_DECIMAL)
                price = discounted(price, discount, PRICE_DECIMAL)
            lines.append({'product': product.id, 'quantity': quantity,
                    'unit_gross_price': gross, 'unit_list_price': price,
                    'base_price': products[product][0],
                    'discount': discount})
            total += (Decimal(str(quantity)) * gross).quantize(
                Decimal('0.01'))
        method = rng.choices(methods,
            weights=[PAYMENTS[m.name] for m in methods])[0]
        values.append({'company': company.id, 'point': till.id,
                'date': date, 'lines': [('create', lines)],
                'payments': [('create', [{'method': method.id,
                                'amount': total}])]})
    ids = Sale._proxy.create(values, config.context)
    Sale._proxy.process(ids, config.context)
    Sale._proxy.post(ids, config.context)


def _close(company, till, date):
    """Close the session of the day: the count 0,50 € short, the gap booked
    with its reason; the cash above the float taken to the bank."""
    Transfer = Model.get('sale.point.cash.transfer')
    Session = Model.get('sale.point.cash.session')
    session, = Session.find([('point', '=', till.id), ('state', '=', 'open')])
    Transfer(point=till, session=session, type=till.gap_type, date=date,
        amount=SHORT, reason="Erreur de rendu de monnaie").save()
    tills.close_session(company, till, date, FLOAT)

"""What the cashier screen loads for a session: the till, its cash session,
its payment methods, and the products it sells with their price, unit,
barcodes, organic and allergen badges; for a van, the stops of its runs on
the road. Read in a few queries, whatever the number of products."""
from trytond.modules.cocagne_base.product import (
    allergen_names, sold_by_weight)
from trytond.modules.cocagne_base.web import amount
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


def session_figures(session):
    "The figures of a cash session that the screen shows."
    return {
        'id': session.id,
        'name': session.rec_name,
        'opened': session.create_date.date().isoformat()
        if session.create_date else None,
        'start_amount': amount(session.start_amount),
        'cash_balance': amount(session.balance),
        'expected': amount(session.expected_amount),
        }


def catalogue(user):
    """The catalogue of user's till (res.user.sale_point), in the user's
    context: see API.md."""
    pool = Pool()
    Session = pool.get('sale.point.cash.session')
    Method = pool.get('sale.point.payment.method')
    point = user.sale_point
    company = point.company
    currency = company.currency
    products = _products(point)
    allergens = allergen_names()
    categories = {c for p, _ in products for c in _shelves(p)}
    return {
        'user': {
            'id': user.id, 'name': user.rec_name,
            'max_discount': str(user.caisse_max_discount),
            },
        'company': {
            'id': company.id, 'name': company.rec_name,
            'currency': {'symbol': currency.symbol,
                'digits': currency.digits},
            },
        'point': {
            'id': point.id, 'name': point.rec_name,
            'tax_included': point.tax_included,
            'van': _is_van(point),
            'weight_prefix': point.weight_prefix or None,
            'price_prefix': point.price_prefix or None,
            },
        'session': session_figures(Session.get_current(point)),
        'methods': [{'id': m.id, 'name': m.name, 'cash': m.cash}
            for m in Method.search([('company', '=', company.id)])],
        'categories': [{'id': c.id, 'name': c.rec_name}
            for c in sorted(categories, key=lambda c: c.rec_name)],
        'products': [_product(point, p, price, allergens)
            for p, price in products],
        'stops': _stops(point),
        }


def _products(point):
    "[(product, price)] of the products that the till sells at a price."
    pool = Pool()
    Product = pool.get('product.product')
    Sale = pool.get('sale.point.sale')
    Line = pool.get('sale.point.sale.line')
    with Transaction().set_context(company=point.company.id):
        products = Product.search([
                ('salable', '=', True),
                ('type', '!=', 'service'),
                ], order=[('rec_name', 'ASC')])
    # priced as a ticket line prices them (the gross price, or the list
    # price and the taxes)
    sale = Sale(point=point, date=Sale.default_date())
    result = []
    for product in products:
        line = Line(sale=sale, product=product)
        line.on_change_product()
        if line.unit_price is not None:
            result.append((product, line.unit_price))
    return result


def _shelves(product):
    "The categories of product that are shelves, not accounting ones."
    return [c for c in product.categories_all if not c.accounting]


def _product(point, product, price, allergens):
    "A product at price as the screen shows it; allergens: {key: name}."
    Line = Pool().get('sale.point.sale.line')
    weighed = sold_by_weight(product)
    template = product.template
    return {
        'id': product.id,
        'name': product.name,
        'code': product.code or None,
        'barcodes': [i.code for i in product.identifiers if i.type == 'ean'],
        'scale_code': next((i.code for i in product.identifiers
                    if i.type == 'scale'), None),
        'price': f'{price:.2f}',
        'unit': product.sale_uom.symbol,
        'weighed': weighed,
        'digits': product.sale_uom.digits,
        # the decimals of the unit price of a line, to which a discount
        # rounds it
        'price_digits': (Line.unit_gross_price if point.tax_included
            else Line.unit_list_price).digits[1],
        'max_quantity': float(point.max_weight) if weighed else None,
        'categories': [c.id for c in _shelves(product)],
        'organic': bool(template.organic),
        'allergens': [allergens.get(a, a) for a in template.allergens or []],
        'producer': template.producer.rec_name if template.producer else None,
        'image': None,
        }


def _is_van(point):
    """Whether point is the till of a round (cocagne_tournees), which its
    cashier may not read."""
    try:
        Round = Pool().get('cocagne.round')
    except KeyError:
        return False
    with without_check_access():
        return bool(Round.search([('sale_point', '=', point.id)], limit=1))


def _stops(point):
    "The stops, in order, of the runs on the road of point's rounds."
    try:
        Stop = Pool().get('cocagne.round.run.stop')
    except KeyError:
        return []
    # cocagne_tournees is an extra: imported only when it is activated
    from trytond.modules.cocagne_tournees.pos import SELLING_STATES
    with without_check_access():
        stops = Stop.search([
                ('run.round.sale_point', '=', point.id),
                ('run.state', 'in', SELLING_STATES),
                ('run.company', '=', point.company.id),
                ])
        return [{'id': s.id, 'name': s.rec_name} for s in stops]

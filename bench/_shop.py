"""What the benches of the Cocagne Bio shop (cycle, storefront) share: the
garden they build, its shop, its partner farms, some of them certified
organic, their products and the pickup places, each bench saying how many
and which; the queries of their catalogues told apart. Not a bench itself
(its name starts with _): call make_shop in a transaction, once the pool is
ready (its imports of trytond are made then).
"""
import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

FEE = Decimal('0.50')     # the preparation fee of an order


def make_shop(farms, certified, products, places, farm_city=None,
        categories=()):
    """Make a garden (the tests' create_garden) and, in it, its shop (the
    tests' setup_shop); farms partner farms "Ferme NN" with an email (and an
    address in farm_city unless None), the first certified of them with an
    organic certificate valid today; a product category of each name of
    categories; a product of each of products, dicts of its name, farm (an
    index of the farms), organic (only a certified farm's product may be),
    allergens (codes) and category (one of categories, or None): every
    other one by the kg (odd indexes) else by the unit, bought from its
    farm, listed at 2 € and accounted as the shop's goods; a drop point of
    each name of places. Return a namespace of company, shop (setup_shop's
    dict), kg, unit, farms, products [(product, farm)] in the order of
    products and places. The garden is left the current company only within
    this call: make the rest in set_company(company)."""
    from trytond.modules.cocagne_base.tests.tools import create_garden
    from trytond.modules.cocagne_bio_shop.tests.tools import (
        create_farm, setup_shop)
    from trytond.modules.company.tests import set_company
    from trytond.pool import Pool

    pool = Pool()
    Category = pool.get('product.category')
    Certificate = pool.get('cocagne.organic.certificate')
    Certifier = pool.get('cocagne.organic.certifier')
    Party = pool.get('party.party')
    Place = pool.get('cocagne.place')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    company = create_garden()
    with set_company(company):
        shop = setup_shop(company)
        kg, = Uom.search([('symbol', '=', 'kg')])
        unit, = Uom.search([('symbol', '=', 'u')])
        farms = [create_farm(company, f"Ferme {i:02d}",
                f'ferme{i:02d}@example.org') for i in range(farms)]
        if farm_city:
            Party.write(farms, {'addresses': [('create', [{
                                'city': farm_city}])]})
        today = dt.date.today()
        certifiers = Certifier.search([], limit=2)
        Certificate.create([{
                    'company': company.id, 'producer': farm.id,
                    'certifier': certifiers[i % len(certifiers)].id,
                    'number': f'C-{i:03d}',
                    'valid_from': today - dt.timedelta(days=100),
                    'valid_to': today + dt.timedelta(days=265),
                    } for i, farm in enumerate(farms[:certified])])
        category = dict(zip(categories,
                Category.create([{'name': n} for n in categories])))
        values = []
        for i, product in enumerate(products):
            assert product['farm'] < certified or not product['organic'], (
                f"{product['name']}: organic from a farm not certified")
            uom = kg if i % 2 else unit
            values.append({
                    'name': product['name'], 'type': 'goods',
                    'company': company.id, 'default_uom': uom.id,
                    'sale_uom': uom.id, 'purchasable': True,
                    'purchase_uom': uom.id, 'salable': True,
                    'origin': 'partner',
                    'producer': farms[product['farm']].id,
                    'organic': product['organic'],
                    'allergens': product['allergens'],
                    'account_category': shop['goods'].id,
                    'list_price': Decimal('2'),
                    'products': [('create', [{}])],
                    })
            if product.get('category'):
                values[-1]['categories'] = [
                    ('add', [category[product['category']].id])]
        templates = Template.create(values)
        places = Place.create([{'name': name, 'kind': 'drop_point',
                    'company': company.id} for name in places])
    return SimpleNamespace(company=company, shop=shop, kg=kg, unit=unit,
        farms=farms, places=places,
        products=[(t.products[0], farms[p['farm']])
            for t, p in zip(templates, products)])


def order_fee(shop, cycles):
    """A preparation fee of FEE per order on each of cycles, paid by the
    customer (shop: setup_shop's dict)."""
    from trytond.pool import Pool
    Fee = Pool().get('cocagne.order_cycle.fee')
    Fee.create([{'cycle': c.id, 'name': "Préparation",
                'product': shop['packing'].id, 'basis': 'order',
                'payer': 'customer', 'amount': FEE} for c in cycles])


def query_text(query):
    """The text of an SQL query, the length of its IN lists aside, by which
    the queries of two catalogues are told apart."""
    return re.sub(r'\(\?(, \?)*\)', '(?…)', str(query))


def print_differing(few, many, offers):
    """Print the queries that differ between many, the texts of the queries
    of a catalogue of offers offers, and few, those of a smaller one: the
    ones many has more ("more with …"), then the ones it has fewer."""
    for name, these, others in [('more', many, few), ('fewer', few, many)]:
        others = list(others)
        for query in these:
            if query in others:
                others.remove(query)
            else:
                print(f'   {name} with {offers} offers: {query[:400]}')

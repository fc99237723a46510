"""Test helpers of the Cocagne Bio shop: a garden's shop, two partner farms
and an open cycle."""
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from trytond import backend
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.pool import Pool
from trytond.transaction import Transaction


def setup_books(company):
    """The French chart of company, a fiscal year with its periods, a 5,5 %
    VAT; return an account category for the goods (revenue, expense and
    the VAT both ways) and one for the services."""
    pool = Pool()
    Account = pool.get('account.account')
    Category = pool.get('product.category')
    ModelData = pool.get('ir.model.data')
    Tax = pool.get('account.tax')
    create_chart(company, chart='account.account_template_root_fr')
    # get_fiscalyear finds the sequence type by its English name
    with Transaction().set_context(language='en'):
        fiscalyear = get_fiscalyear(company)
    fiscalyear.save()
    fiscalyear.create_period([fiscalyear])

    def account(template):
        found, = Account.search([('company', '=', company.id), ('template',
                    '=', ModelData.get_id('account', template))])
        return found
    vat = account('account_template_6_3_4_fr')
    tax, = Tax.create([{'name': "TVA 5,5 %", 'description': "TVA 5,5 %",
                'type': 'percentage', 'rate': Decimal('0.055'),
                'invoice_account': vat.id, 'credit_note_account': vat.id,
                'company': company.id}])
    goods, services = Category.create([{
                'name': "Alimentaire", 'accounting': True,
                'account_revenue': account('account_template_4_1_1_fr').id,
                'account_expense': account('account_template_5_1_1_fr').id,
                'customer_taxes': [('add', [tax.id])],
                'supplier_taxes': [('add', [tax.id])],
                }, {
                'name': "Services", 'accounting': True,
                'account_revenue': account('account_template_4_3_1_fr').id,
                'account_expense': account('account_template_5_1_1_fr').id,
                'customer_taxes': [('add', [tax.id])],
                }])
    return goods, services


def create_farm(company, name, email=None):
    "A partner farm of company, a producer with its account payable."
    Party = Pool().get('party.party')
    values = {'name': name, 'producer': True, 'company': company.id}
    if email:
        values['contact_mechanisms'] = [('create', [{
                        'type': 'email', 'value': email}])]
    farm, = Party.create([values])
    return farm


def setup_shop(company):
    """A Cocagne Bio shop of company with an open cycle: carrots by the kg
    (La Ferme des Prés, bought, cap 50 kg), eggs by the box (Le Poulailler,
    on consignment, cap 20) and the garden's own lettuce (no cap); two pickup
    places, the second for 2 orders only; a packing fee of 0,50 € per
    order. Return a dict of it all."""
    pool = Pool()
    Cycle = pool.get('cocagne.order_cycle')
    Location = pool.get('stock.location')
    Party = pool.get('party.party')
    Place = pool.get('cocagne.place')
    Shop = pool.get('web.shop')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    goods, services = setup_books(company)
    kg, = Uom.search([('symbol', '=', 'kg')])
    unit, = Uom.search([('symbol', '=', 'u')])
    farm = create_farm(company, "La Ferme des Prés", 'fermedespres@example.org')
    hens = create_farm(company, "Le Poulailler", 'poulailler@example.org')
    warehouse, = Location.search([('code', '=', 'WH')])

    def product(name, uom, price, producer=None, type_='goods',
            category=goods):
        template, = Template.create([{
                    'name': name, 'type': type_, 'company': company.id,
                    'default_uom': uom.id, 'salable': True,
                    'sale_uom': uom.id, 'purchasable': type_ == 'goods',
                    'purchase_uom': uom.id,
                    'origin': 'partner' if producer else 'own',
                    'producer': producer.id if producer else None,
                    'account_category': category.id,
                    'list_price': Decimal(price),
                    'products': [('create', [{}])],
                    }])
        return template.products[0]
    carrots = product("Carottes", kg, '2.50', farm)
    eggs = product("Œufs (boîte de 6)", unit, '3.20', hens)
    lettuce = product("Laitue", unit, '1.20')
    packing = product("Frais de préparation", unit, '0.50',
        type_='service', category=services)
    customer, other = Party.create([
            {'name': "Camille Martin", 'company': company.id,
                'addresses': [('create', [{'city': "Rennes"}])],
                'contact_mechanisms': [('create', [
                            {'type': 'phone', 'value': '+33299000001'}])]},
            {'name': "Dominique Petit", 'company': company.id,
                'addresses': [('create', [{'city': "Thorigné-Fouillard"}])]},
            ])
    shop, = Shop.create([{
                'name': "Cocagne Bio", 'type': 'cocagne',
                'company': company.id, 'currency': company.currency.id,
                'warehouses': [('add', [warehouse.id])],
                }])
    square, farmyard = Place.create([
            {'name': "Place du marché", 'kind': 'drop_point',
                'company': company.id},
            {'name': "Cour de la ferme", 'kind': 'drop_point',
                'company': company.id},
            ])
    now = dt.datetime.now().replace(microsecond=0)
    delivery = (now + dt.timedelta(days=3)).date()
    collect = dt.datetime.combine(delivery, dt.time(16))
    cycle, = Cycle.create([{
                'company': company.id, 'shop': shop.id,
                'name': "Semaine d'essai",
                'opens_at': now - dt.timedelta(days=1),
                'closes_at': now + dt.timedelta(days=2),
                'delivery_date': delivery,
                'offers': [('create', [{
                                'product': carrots.id, 'producer': farm.id,
                                'supply': 'purchase',
                                'unit_price': Decimal('2.50'), 'cap': 50,
                                }, {
                                'product': eggs.id, 'producer': hens.id,
                                'supply': 'consignment',
                                'unit_price': Decimal('3.20'), 'cap': 20,
                                }, {
                                'product': lettuce.id,
                                'producer': company.party.id,
                                'supply': 'own',
                                'unit_price': Decimal('1.20'),
                                }])],
                'pickups': [('create', [{
                                'place': square.id, 'starts_at': collect,
                                'ends_at': collect + dt.timedelta(hours=3),
                                'instructions': "Sous la halle.",
                                }, {
                                'place': farmyard.id, 'starts_at': collect,
                                'ends_at': collect + dt.timedelta(hours=2),
                                'capacity': 2,
                                }])],
                'fees': [('create', [{
                                'name': "Préparation", 'product': packing.id,
                                'basis': 'order', 'payer': 'customer',
                                'amount': Decimal('0.50'),
                                }])],
                }])
    Cycle.open([cycle])
    offers = {o.product: o for o in cycle.offers}
    return {
        'shop': shop, 'cycle': cycle, 'farm': farm, 'hens': hens,
        'carrots': offers[carrots], 'eggs': offers[eggs],
        'lettuce': offers[lettuce], 'square': cycle.pickups[0],
        'farmyard': cycle.pickups[1], 'customer': customer, 'other': other,
        'packing': packing, 'goods': goods, 'services': services,
        }


def create_cycle(shop, name, offers, pickups, state='open'):
    """A cycle of shop, open since yesterday, of offers [(product,
    producer, price, cap)] and pickups [(place, capacity)], in state."""
    Cycle = Pool().get('cocagne.order_cycle')
    now = dt.datetime.now().replace(microsecond=0)
    collect = dt.datetime.combine(
        (now + dt.timedelta(days=3)).date(), dt.time(16))
    cycle, = Cycle.create([{
                'company': shop.company.id, 'shop': shop.id, 'name': name,
                'opens_at': now - dt.timedelta(days=1),
                'closes_at': now + dt.timedelta(days=2),
                'delivery_date': collect.date(),
                'offers': [('create', [{
                                'product': p.id, 'producer': f.id,
                                'supply': 'own' if f == shop.company.party
                                else 'purchase',
                                'unit_price': Decimal(price), 'cap': cap,
                                } for p, f, price, cap in offers])],
                'pickups': [('create', [{
                                'place': place.id, 'starts_at': collect,
                                'ends_at': collect + dt.timedelta(hours=2),
                                'capacity': capacity,
                                } for place, capacity in pickups])],
                }])
    if state != 'draft':
        Cycle.open([cycle])
    if state == 'closed':
        # closed as far as the orders see it, without its purchases
        Cycle.write([cycle], {'state': 'closed'})
    return cycle


@contextmanager
def counting_queries():
    """Count the SQL queries run meanwhile, on SQLite or PostgreSQL: yield
    the list of the queries."""
    if backend.name == 'sqlite':
        from trytond.backend.sqlite.database import SQLiteCursor as Cursor
    else:
        from trytond.backend.postgresql.database import (
            LoggingCursor as Cursor)
    queries = []
    execute = Cursor.execute

    def counted(self, query, *args, **kwargs):
        queries.append(query)
        return execute(self, query, *args, **kwargs)
    with patch.object(Cursor, 'execute', counted):
        yield queries

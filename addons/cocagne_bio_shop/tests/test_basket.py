"Baskets: subscriptions, weekly compositions, solidarity gaps, drop lists"
import datetime as dt
import io
from decimal import Decimal

from pypdf import PdfReader

from trytond.i18n import gettext
from trytond.modules.cocagne_base.tests.tools import StackTestMixin
from trytond.modules.cocagne_base.organic import covers
from trytond.modules.cocagne_bio_shop.basket import solidarity_price
from trytond.modules.cocagne_bio_shop.exceptions import BasketError
from trytond.modules.cocagne_bio_shop.tests.tools import setup_shop
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

WEEK = dt.timedelta(days=7)


def pdf_text(content):
    "The text of a PDF on one line, its spaces made plain."
    text = ' '.join(p.extract_text() for p in PdfReader(
            io.BytesIO(content)).pages)
    return ' '.join(text.replace('\xa0', ' ').replace('\u202f', ' ').split())


def setup_baskets(company):
    """The shop of setup_shop with two basket sizes and four members at
    the market square: Camille (small), Dominique (large, solidarity 50 %),
    Sacha (small, away the week of the cycle), Lou (large, starting after
    the cycle); and the small basket's composition of the cycle: 1 kg of
    carrots and a lettuce."""
    pool = Pool()
    Composition = pool.get('cocagne.basket.composition')
    Party = pool.get('party.party')
    Size = pool.get('cocagne.basket.size')
    Subscription = pool.get('cocagne.basket.subscription')
    Template = pool.get('product.template')
    shop = setup_shop(company)
    cycle = shop['cycle']
    unit = shop['eggs'].unit
    small_product, large_product = [Template.create([{
                    'name': name, 'type': 'goods', 'company': company.id,
                    'default_uom': unit.id, 'salable': True,
                    'sale_uom': unit.id, 'origin': 'own',
                    'account_category': shop['goods'].id,
                    'list_price': Decimal(price),
                    'products': [('create', [{}])],
                    }])[0].products[0]
        for name, price in [("Panier petit", '12'), ("Panier grand", '20')]]
    small, large = Size.create([
            {'company': company.id, 'name': "Petit panier",
                'product': small_product.id, 'price': Decimal('12')},
            {'company': company.id, 'name': "Grand panier",
                'product': large_product.id, 'price': Decimal('20')},
            ])
    sacha, lou = Party.create([
            {'name': "Sacha Roux", 'company': company.id},
            {'name': "Lou Blanc", 'company': company.id},
            ])
    date = cycle.delivery_date
    square = shop['square'].place
    subscriptions = Subscription.create([{
                'company': company.id, 'member': member.id,
                'size': size.id, 'drop_point': square.id,
                'start_date': start, 'tier': tier,
                'solidarity_rate': rate,
                'absences': [('create', absences)],
                } for member, size, start, tier, rate, absences in [
                (shop['customer'], small, date - 4 * WEEK, 'normal', None,
                    [{'start_date': date - 2 * WEEK,
                            'end_date': date - WEEK}]),
                (shop['other'], large, date - 4 * WEEK, 'solidarity',
                    Decimal('0.5'), []),
                (sacha, small, date - 4 * WEEK, 'normal', None,
                    [{'start_date': date - dt.timedelta(days=2),
                            'end_date': date + WEEK,
                            'reason': "Vacances"}]),
                (lou, large, date + WEEK, 'normal', None, []),
                ]])
    Subscription.run(subscriptions)
    compositions = Composition.create([{
                'cycle': cycle.id, 'size': small.id,
                'lines': [('create', [
                            {'product': shop['carrots'].product.id,
                                'quantity': 1},
                            {'product': shop['lettuce'].product.id,
                                'quantity': 1},
                            ])],
                }, {
                'cycle': cycle.id, 'size': large.id,
                'lines': [('create', [
                            {'product': shop['carrots'].product.id,
                                'quantity': 2},
                            {'product': shop['eggs'].product.id,
                                'quantity': 1},
                            ])],
                }])
    shop.update({
            'small': small, 'large': large, 'sacha': sacha, 'lou': lou,
            'subscriptions': subscriptions, 'compositions': compositions,
            })
    return shop


class BasketTestCase(StackTestMixin, _DBTestCase):
    "Test the basket subscriptions"
    module = 'cocagne_bio_shop'

    def test_pure(self):
        "The solidarity price, the weeks away"
        self.assertEqual(solidarity_price(Decimal('12.25'), Decimal('0.5')),
            Decimal('6.13'))
        self.assertTrue(covers([(dt.date(2026, 6, 1), dt.date(2026, 6, 3))],
                dt.date(2026, 6, 3)))
        self.assertFalse(covers([(dt.date(2026, 6, 1), dt.date(2026, 6, 3))],
                dt.date(2026, 6, 4)))

    @with_transaction()
    def test_generate(self):
        """The baskets of the present members go on their orders, once;
        the absent are skipped; the contents come out of the caps; the
        solidarity gap is recorded"""
        pool = Pool()
        Composition = pool.get('cocagne.basket.composition')
        Gap = pool.get('cocagne.basket.solidarity_gap')
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            shop = setup_baskets(company)
            cycle = shop['cycle']
            # Camille has ordered eggs at the farmyard already
            order = Sale.take_cycle_order(cycle, shop['customer'],
                shop['farmyard'], [(shop['eggs'], 2)])

            lines = Composition.generate_baskets(shop['compositions'])

            self.assertEqual(
                sorted((l.sale.party.name, l.product.name, l.unit_price)
                    for l in lines), [
                    ("Camille Martin", "Panier petit", Decimal('12')),
                    ("Dominique Petit", "Panier grand", Decimal('10.00')),
                    ])
            orders = Sale.search([('order_cycle', '=', cycle.id)])
            self.assertEqual(len(orders), 2)
            camille, = [l.sale for l in lines
                if l.sale.party == shop['customer']]
            # added to Camille's order, now at the basket's drop point
            self.assertEqual(camille, order)
            self.assertEqual(camille.pickup, shop['square'])
            self.assertEqual(sorted(l.product.name for l in camille.lines
                    if l.product), [
                    "Frais de préparation", "Panier petit",
                    "Œufs (boîte de 6)"])
            carrots, lettuce, eggs = (shop['carrots'], shop['lettuce'],
                shop['eggs'])
            self.assertEqual((carrots.sold, lettuce.sold, eggs.sold),
                (3, 1, 3))
            self.assertEqual(shop['square'].orders, 2)
            self.assertEqual(shop['farmyard'].orders, 0)

            gap, = Gap.search([])
            self.assertEqual(
                (gap.member, gap.date, gap.normal, gap.paid, gap.gap),
                (shop['other'], cycle.delivery_date, Decimal('20'),
                    Decimal('10.00'), Decimal('10.00')))

            # twice: nothing new
            self.assertEqual(
                Composition.generate_baskets(shop['compositions']), [])
            self.assertEqual(carrots.sold, 3)
            self.assertEqual(Gap.search_count([]), 1)
            self.assertEqual([c.basket_count for c in shop['compositions']],
                [1, 1])

            # a basket removed gives its contents back
            Sale.cancel([camille])
            self.assertEqual((carrots.sold, lettuce.sold, eggs.sold),
                (2, 0, 1))

    @with_transaction()
    def test_drop_list(self):
        "The drop-point list: baskets and members away, in PDF"
        pool = Pool()
        Composition = pool.get('cocagne.basket.composition')
        Party = pool.get('party.party')
        DropList = pool.get('cocagne.basket.drop_list', type='report')
        company = create_company()
        with set_company(company):
            shop = setup_baskets(company)
            Party.write([shop['other']], {'contact_mechanisms': [
                        ('create', [{'type': 'phone',
                                    'value': '+33 1 23 45 67 89'}])]})
            Composition.generate_baskets(shop['compositions'])
            cycle = shop['cycle']

            ext, content, _, _ = DropList.execute([cycle.id], {})

            self.assertEqual(ext, 'pdf')
            text = pdf_text(content)
            square = text.index("Paniers : Place du marché")
            absent = text.index("Absents cette semaine (1)")
            farmyard = text.index("Paniers : Cour de la ferme")
            for words in [
                    "Paniers à remettre (2)",
                    "Camille Martin", "Petit panier Normal",
                    "Dominique Petit", "Grand panier Solidaire"]:
                self.assertIn(words, text[square:absent])
            self.assertIn("Sacha Roux", text[absent:farmyard])
            self.assertIn("Aucun panier.", text[farmyard:])
            self.assertNotIn("Lou Blanc", text)

    @with_transaction()
    def test_refusals(self):
        """A subscription ending before it starts, a product not offered, a
        drop point not a pickup place of the cycle"""
        pool = Pool()
        Composition = pool.get('cocagne.basket.composition')
        Line = pool.get('cocagne.basket.composition.line')
        Place = pool.get('cocagne.place')
        Subscription = pool.get('cocagne.basket.subscription')
        company = create_company()
        with set_company(company):
            shop = setup_baskets(company)
            cycle = shop['cycle']
            lang = pool.get('ir.lang').get()
            subscription = shop['subscriptions'][0]
            start = subscription.start_date
            with self.assertRaises(BasketError) as error:
                Subscription.write([subscription],
                    {'end_date': start - dt.timedelta(days=1)})
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_basket_subscription_dates',
                    subscription="Camille Martin - Petit panier",
                    start=lang.strftime(start),
                    end=lang.strftime(start - dt.timedelta(days=1))))

            small = shop['compositions'][0]
            with self.assertRaises(BasketError) as error:
                Line.create([{'composition': small.id,
                            'product': shop['small'].product.id,
                            'quantity': 1}])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_basket_composition_not_offered',
                    product="Panier petit", size="Petit panier",
                    cycle=cycle.rec_name))

            elsewhere, = Place.create([{'name': "Mairie",
                        'kind': 'drop_point', 'company': company.id}])
            Subscription.write([shop['subscriptions'][1]],
                {'drop_point': elsewhere.id})
            with self.assertRaises(BasketError) as error:
                Composition.generate_baskets(shop['compositions'])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_basket_drop_point_not_pickup',
                    member="Dominique Petit", place="Mairie",
                    cycle=cycle.rec_name))
            self.assertEqual(shop['carrots'].sold, 0)

    @with_transaction()
    def test_grant(self):
        "The solidarity gaps of a period charged to a grant"
        pool = Pool()
        Allocation = pool.get('cocagne.grant.allocation')
        Composition = pool.get('cocagne.basket.composition')
        Gap = pool.get('cocagne.basket.solidarity_gap')
        company = create_company()
        with set_company(company):
            shop = setup_baskets(company)
            Composition.generate_baskets(shop['compositions'])
            line = create_budget_line(company)
            date = shop['cycle'].delivery_date

            allocation = Allocation.allocate_basket_gaps(line,
                date - WEEK, date + WEEK, "Paniers solidaires")

            self.assertEqual(allocation.kind, 'basket_gap')
            self.assertEqual(
                (allocation.untaxed_amount, allocation.amount,
                    allocation.date),
                (Decimal('10.00'), Decimal('10.00'), date))
            gap, = Gap.search([])
            self.assertEqual(gap.grant, line.grant)
            # charged once
            self.assertIsNone(Allocation.allocate_basket_gaps(line,
                    date - WEEK, date + WEEK, "Paniers solidaires"))


def create_budget_line(company):
    "An awarded grant of company with a services budget line of 1 000 €."
    pool = Pool()
    Grant = pool.get('cocagne.grant')
    Programme = pool.get('cocagne.grant.programme')
    Party = pool.get('party.party')
    funder, = Party.create([{'name': "Fondation", 'company': company.id}])
    programme, = Programme.create([{'name': "Fondation", 'code': "FDN",
                'funder_type': 'foundation'}])
    today = dt.date.today()
    grant, = Grant.create([{
                'company': company.id, 'programme': programme.id,
                'funder': funder.id, 'title': "Paniers solidaires",
                'start_date': today - dt.timedelta(days=90),
                'end_date': today + dt.timedelta(days=275),
                'budget_lines': [('create', [{
                                'category': 'services',
                                'planned': Decimal('1000')}])],
                }])
    return grant.budget_lines[0]

"Tickets of the cashier screen: rung up, paid, posted once; the session count"
import uuid
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.cocagne_base.tests.tools import (
    SharedModelsMixin, StackTestMixin, acting_as, create_garden_user,
    create_sale_point)
from trytond.modules.cocagne_caisse import tender
from trytond.modules.cocagne_caisse.catalogue import catalogue
from trytond.modules.cocagne_caisse.exceptions import (
    CountError, DiscountError, SessionClosedError, TicketError)
from trytond.modules.cocagne_tournees.exceptions import VanStockError
from trytond.modules.cocagne_tournees.tests.test_module import create_round
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def setup_till(company):
    """A till of company selling from the default storage, taxes included,
    with a chart, a fiscal year, cash and card, a transfer type for the gaps
    of the counts; and two products: carrots by the kg (2,40 € TTC, 5,5 %
    VAT, organic, scale code 00042) and a jar of jam (4,50 € TTC, with
    nuts, EAN 3760000000017)."""
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Location = pool.get('stock.location')
    Method = pool.get('sale.point.payment.method')
    TransferType = pool.get('sale.point.cash.transfer.type')
    Tax = pool.get('account.tax')
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    create_chart(company, chart='account.account_template_root_fr')
    # get_fiscalyear finds the sequence type by its English name
    with Transaction().set_context(language='en'):
        fiscalyear = get_fiscalyear(company)
    fiscalyear.save()
    fiscalyear.create_period([fiscalyear])
    ModelData = pool.get('ir.model.data')

    def account(template):
        found, = Account.search([('company', '=', company.id), ('template',
                    '=', ModelData.get_id('account', template))])
        return found
    cash = account('account_template_1_1_1_fr')
    vat = account('account_template_6_3_4_fr')
    revenue = account('account_template_4_1_1_fr')
    other = account('account_template_4_3_1_fr')
    tax, = Tax.create([{'name': "TVA 5,5 %", 'description': "TVA 5,5 %",
                'type': 'percentage', 'rate': Decimal('0.055'),
                'invoice_account': vat.id,
                'credit_note_account': vat.id,
                'company': company.id}])
    category, = Category.create([{'name': "Épicerie", 'accounting': True,
                'account_revenue': revenue.id,
                'customer_taxes': [('add', [tax.id])]}])
    vegetables, = Category.create([{'name': "Légumes"}])
    kg, = Uom.search([('symbol', '=', 'kg')])
    unit, = Uom.search([('symbol', '=', 'u')])
    carrots, jam = Template.create([{
                'name': "Carottes", 'type': 'goods', 'company': company.id,
                'default_uom': kg.id, 'salable': True, 'sale_uom': kg.id,
                'account_category': category.id, 'organic': True,
                'categories': [('add', [vegetables.id])],
                'list_price': Decimal('2.2749'),
                'gross_price': Decimal('2.40'),
                'products': [('create', [{'identifiers': [('create', [{
                                        'type': 'scale',
                                        'code': '00042'}])]}])],
                }, {
                'name': "Confiture de fraises", 'type': 'goods',
                'company': company.id, 'default_uom': unit.id,
                'salable': True, 'sale_uom': unit.id,
                'account_category': category.id, 'allergens': ['nuts'],
                'list_price': Decimal('4.2654'),
                'gross_price': Decimal('4.50'),
                'products': [('create', [{'identifiers': [('create', [{
                                        'type': 'ean',
                                        'code': '3760000000017'}])]}])],
                }])
    journal, = Journal.search([('code', '=', 'CASH')])
    gap, = TransferType.create([{'name': "Écart de caisse",
                'company': company.id, 'journal': journal.id,
                'account': other.id}])
    storage, = Location.search([('code', '=', 'STO')])
    point = create_sale_point(company, storage, "Boutique du jardin")
    point.tax_included = True
    point.gap_type = gap
    point.save()
    methods = Method.create([
            {'name': "Espèces", 'cash': True, 'account': cash.id,
                'company': company.id},
            {'name': "Carte bancaire", 'account': cash.id,
                'company': company.id}])
    return point, methods, carrots.products[0], jam.products[0]


def ticket(session, lines, payments, **values):
    "The values of a screen's ticket, a new key."
    return dict({'key': str(uuid.uuid4()), 'session': session.id,
            'lines': [{'product': p.id, 'quantity': q, 'discount': d}
                for p, q, d in lines],
            'payments': [{'method': m.id, 'amount': a} for m, a in payments],
            }, **values)


class CocagneCaisseTestCase(
        StackTestMixin, SharedModelsMixin, CompanyTestMixin, ModuleTestCase):
    "Test the cashier screen's module"
    module = 'cocagne_caisse'

    def test_tender(self):
        "The change comes out of the cash; other payments never exceed"
        cash, card = ('cash', True), ('card', False)
        self.assertEqual(tender.settle(Decimal('24.15'), [
                    (cash[0], '20', True), (card[0], '5', False)]),
            ([('cash', Decimal('19.15')), ('card', Decimal('5'))],
                Decimal('0.85')))
        self.assertEqual(tender.settle(Decimal('3'), [('card', '3', False)]),
            ([('card', Decimal('3'))], Decimal('0')))
        for payments, key in [
                ([('card', '30', False)], 'payment_above_total'),
                ([('cash', '10', True)], 'payment_short'),
                ([('cash', '0', True)], 'payment_not_positive')]:
            with self.assertRaises(tender.TenderError) as error:
                tender.settle(Decimal('24.15'), payments)
            self.assertEqual(error.exception.key, key)
        self.assertEqual(tender.discounted(Decimal('2.40'), Decimal('0.1')),
            Decimal('2.1600'))
        with self.assertRaises(tender.TenderError):
            tender.check_quantity(Decimal('50.001'), Decimal(50), True)
        self.assertEqual(tender.percent(Decimal('0.125')), '12,5\u202f%')

    @with_transaction()
    def test_ring_up_posts_once(self):
        """A ticket of weighed carrots and jam paid in cash and by card is
        posted with its stock moves; sent again, it is recorded once"""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Session = pool.get('sale.point.cash.session')
        company = create_company()
        with set_company(company):
            point, (cash, card), carrots, jam = setup_till(company)
            session = Session.get_current(point)
            values = ticket(session,
                [(carrots, 1.25, 0), (jam, 2, Decimal('0.1'))],
                [(cash, '10'), (card, '5')])
            sale, duplicate = Sale.ring_up(point, values)
            self.assertFalse(duplicate)
            self.assertEqual(sale.state, 'posted')
            self.assertTrue(sale.number)
            # 1,25 kg × 2,40 + 2 × 4,05
            self.assertEqual(sale.total, Decimal('11.10'))
            self.assertEqual(sale.caisse_change, Decimal('3.90'))
            self.assertEqual(sorted((p.method.name, p.amount)
                    for p in sale.payments), [
                    ("Carte bancaire", Decimal('5')),
                    ("Espèces", Decimal('6.10'))])
            moves = [m for l in sale.lines for m in l.moves]
            self.assertEqual(sorted((m.product, m.quantity, m.state)
                    for m in moves), sorted([(carrots, 1.25, 'done'),
                        (jam, 2, 'done')]))
            self.assertEqual(sale.move.state, 'posted')
            self.assertEqual(Session(session.id).balance, Decimal('6.10'))

            again, duplicate = Sale.ring_up(point, values)
            self.assertEqual((again, again.caisse_change, duplicate),
                (sale, Decimal('3.90'), True))
            self.assertEqual(Sale.search([], count=True), 1)

    @with_transaction()
    def test_ring_up_refusals(self):
        """Weights of 0 or over 50 kg, a discount above the cashier's
        rights, a closed session, short payments are refused, named"""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Session = pool.get('sale.point.cash.session')
        Group = pool.get('res.group')
        Line = pool.get('sale.point.sale.line')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            point, (cash, card), carrots, jam = setup_till(company)
            session = Session.get_current(point)
            cases = [
                ([(carrots, 0, 0)], [(cash, '1')], 'msg_weight_zero',
                    {'product': "Carottes", 'quantity': '0', 'unit': 'kg'}),
                ([(carrots, 62.5, 0)], [(cash, '200')], 'msg_weight_absurd',
                    {'product': "Carottes", 'quantity': '62,5',
                        'maximum': '50', 'unit': 'kg'}),
                ([(jam, 1, 0)], [(cash, '4')], 'msg_payment_short',
                    {'paid': '4,00\u00a0€', 'total': '4,50\u00a0€',
                        'missing': '0,50\u00a0€'}),
                ([(jam, 1, 0)], [(card, '5')], 'msg_payment_above_total',
                    {'paid': '5,00\u00a0€', 'total': '4,50\u00a0€'}),
                ([(jam, 1, Decimal('0.2'))], [(cash, '5')],
                    'msg_discount_above_maximum', {
                        'product': "Confiture de fraises",
                        'discount': '20\u202f%', 'maximum': '5\u202f%'}),
                ]
            group = Group(ModelData.get_id('sale_point', 'group_sale_point'))
            group.caisse_max_discount = Decimal('0.05')
            group.save()
            user = create_garden_user([company], login='caissiere')
            User.write([user], {'groups': [('add', [group.id])],
                    'sale_point': point.id})
            with acting_as(user):
                for lines, payments, message, values in cases:
                    with self.subTest(message=message):
                        with self.assertRaises(TicketError) as error:
                            Sale.ring_up(point,
                                ticket(session, lines, payments))
                        self.assertEqual(error.exception.message, gettext(
                                f'cocagne_caisse.{message}', **values))
                self.assertEqual(Sale.search([], count=True), 0)

                # a discount within the cashier's rights passes
                sale, _ = Sale.ring_up(point, ticket(session,
                        [(jam, 1, Decimal('0.05'))], [(cash, '5')]))
                self.assertEqual(sale.total, Decimal('4.28'))
                # the ERP refuses a discount above the rights
                draft, = Sale.create([{'point': point.id}])
                with self.assertRaises(DiscountError):
                    Line.create([{'sale': draft.id, 'product': jam.id,
                                'quantity': 1, 'discount': Decimal('0.5'),
                                'unit_list_price': Decimal(2),
                                'unit_gross_price': Decimal(2)}])

            session.close_counted(Decimal('4.28'))
            with self.assertRaises(SessionClosedError):
                Sale.ring_up(point, ticket(session, [(jam, 1, 0)],
                        [(cash, '5')]))

    @with_transaction()
    def test_close_counted(self):
        """A count that differs from the cash expected needs its reason,
        booked as a cash transfer; the next session starts with the count"""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Session = pool.get('sale.point.cash.session')
        company = create_company()
        with set_company(company):
            point, (cash, card), carrots, jam = setup_till(company)
            session = Session.get_current(point)
            Sale.ring_up(point, ticket(session, [(jam, 2, 0)],
                    [(cash, '10')]))
            self.assertEqual(session.expected_amount, Decimal('9.00'))
            with self.assertRaises(CountError) as error:
                session.close_counted(Decimal('8.50'))
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_caisse.msg_gap_no_reason',
                    gap='-0,50\u00a0€', session=session.rec_name))
            self.assertEqual(session.state, 'open')
            gap, following = session.close_counted(Decimal('8.50'),
                "Erreur de rendu")
            self.assertEqual(gap, Decimal('-0.50'))
            transfer, = session.transfers
            self.assertEqual((transfer.amount, transfer.reason,
                    transfer.type), (Decimal('-0.50'), "Erreur de rendu",
                    point.gap_type))
            self.assertEqual(Session(session.id).state, 'closed')
            self.assertEqual(following.start_amount, Decimal('8.50'))
            self.assertEqual(following.state, 'open')

    @with_transaction()
    def test_catalogue(self):
        """The catalogue of the cashier's till: prices, weighed products,
        barcodes, organic and allergen badges in French"""
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            point, (cash, card), carrots, jam = setup_till(company)
            user = create_garden_user([company], login='caissier')
            User.write([user], {'sale_point': point.id, 'groups': [('add', [
                            ModelData.get_id('sale_point',
                                'group_sale_point')])]})
            with acting_as(user):
                data = catalogue(User(user.id))
        self.assertEqual(data['point']['name'], "Boutique du jardin")
        self.assertEqual(data['point']['van'], False)
        self.assertEqual([m['name'] for m in data['methods']],
            ["Carte bancaire", "Espèces"])
        category, = data['categories']
        self.assertEqual(category['name'], "Légumes")
        products = {p['name']: p for p in data['products']}
        self.assertEqual(products["Carottes"] | {'id': 0}, {
                'id': 0, 'name': "Carottes", 'code': None, 'barcodes': [],
                'scale_code': '00042', 'price': '2.40', 'unit': 'kg',
                'weighed': True, 'digits': 2, 'price_digits': 4,
                'max_quantity': 50.0,
                'categories': [category['id']], 'organic': True,
                'allergens': [],
                'producer': None, 'image': None})
        jam = products["Confiture de fraises"]
        self.assertEqual((jam['barcodes'], jam['weighed'], jam['allergens'],
                jam['max_quantity']), (['3760000000017'], False,
                ["Fruits à coque"], None))
        self.assertEqual(data['session']['start_amount'], '0.00')
        self.assertEqual(data['stops'], [])

    @with_transaction()
    def test_van_stop(self):
        """At a van's till, the catalogue lists the stops of its run on the
        road; a ticket counts at its stop, and never sells more than the van
        loaded"""
        pool = Pool()
        Run = pool.get('cocagne.round.run')
        Sale = pool.get('sale.point.sale')
        Session = pool.get('sale.point.cash.session')
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            point, (cash, card), carrots, jam = setup_till(company)
            round_ = create_round(company)
            # the van's till sells from the van
            point.storage_location = round_.van.storage_location
            point.save()
            round_.sale_point = point
            round_.save()
            run, = Run.create([{'round': round_.id, 'date': Date.today(),
                        'lines': [('create', [{'product': carrots.id,
                                        'loaded_quantity': 10}])]}])
            Run.load([run])
            Run.start([run])
            User.write([User(Transaction().user)],
                {'sale_point': point.id})
            data = catalogue(User(Transaction().user))
            self.assertTrue(data['point']['van'])
            self.assertEqual([s['id'] for s in data['stops']],
                [s.id for s in run.stops])
            session = Session.get_current(point)
            stop = run.stops[1]
            sale, _ = Sale.ring_up(point, ticket(session,
                    [(carrots, 4, 0)], [(cash, '10')], stop=stop.id))
            self.assertEqual(sale.round_stop, stop)
            with self.assertRaises(VanStockError):
                Sale.ring_up(point, ticket(session, [(carrots, 7, 0)],
                        [(cash, '20')], stop=stop.id))


del ModuleTestCase

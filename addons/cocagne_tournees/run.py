"""Runs: a round driven on a date. The van is loaded from its site, sells
or delivers at each stop, comes back and is unloaded; reconciling posts
what was lost on the way."""
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import van_stock
from .exceptions import RunError
from .round import KINDS, clock

STATES = [
    ('draft', "Draft"),
    ('loaded', "Loaded"),
    ('on_road', "On the Road"),
    ('done', "Unloaded"),
    ('reconciled', "Reconciled"),
    ('cancelled', "Cancelled"),
    ]
QUANTITY_DIGITS = (16, 3)
# the sales that count as sold: paid, whether posted yet or not
SOLD_STATES = ['done', 'posted']
# the sales that take goods from the van, paid or not yet
TICKET_STATES = ['open', 'done', 'posted']


class Run(GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'cocagne.round.run'
    __string__ = "Round Run"
    _states = {
        'readonly': Eval('state') != 'draft',
        }
    round = fields.Many2One(
        'cocagne.round', "Round", required=True,
        domain=[('company', '=', Eval('company', -1))],
        states=_states)
    company = fields.Many2One(
        'company.company', "Garden", required=True, states=_states)
    kind = fields.Function(
        fields.Selection(KINDS, "Kind"), 'on_change_with_kind')
    date = fields.Date("Date", required=True, states=_states)
    driver = fields.Many2One(
        'company.employee', "Driver",
        states={
            'readonly': Eval('state').in_(['reconciled', 'cancelled']),
            })
    lines = fields.One2Many(
        'cocagne.round.run.line', 'run', "Load",
        states={
            'readonly': Eval('state').in_(['reconciled', 'cancelled']),
            })
    stops = fields.One2Many(
        'cocagne.round.run.stop', 'run', "Stops",
        states={
            'readonly': Eval('state').in_(['reconciled', 'cancelled']),
            })
    revenue = fields.Function(
        fields.Numeric("Revenue", digits=(16, 2),
            help="The tickets paid at the stops, taxes included."),
        'get_figures')
    tickets = fields.Function(
        fields.Integer("Tickets"), 'get_figures')
    customers = fields.Function(
        fields.Integer("Customers",
            help="The tickets, those of a same customer counted once."),
        'get_figures')
    average_basket = fields.Function(
        fields.Numeric("Average Basket", digits=(16, 2)), 'get_figures')
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    state_string = state.translated('state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'loaded'),
            ('loaded', 'draft'),
            ('loaded', 'on_road'),
            ('on_road', 'done'),
            ('done', 'reconciled'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        # each button shows in the one state it leaves
        cls._buttons.update({
                button: {
                    'invisible': Eval('state') != state,
                    'depends': ['state'],
                    }
                for button, state in [
                    ('propose_load', 'draft'),
                    ('load', 'draft'),
                    ('unload_van', 'loaded'),
                    ('start', 'loaded'),
                    ('unload', 'on_road'),
                    ('reconcile', 'done'),
                    ('cancel', 'draft'),
                    ('draft', 'cancelled'),
                    ]})

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('round')
    def on_change_with_kind(self, name=None):
        return self.round.kind if self.round else None

    @fields.depends('round', 'driver', 'stops', 'company')
    def on_change_round(self):
        if not self.round:
            return
        self.company = self.round.company
        self.driver = self.driver or self.round.driver
        if not self.stops:
            self.stops = self.round_stops()

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return f'{self.round.rec_name} ({lang.strftime(self.date)})'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('round.rec_name', *clause[1:])]

    def round_stops(self):
        "The stops of the run, as planned in the round."
        Stop = Pool().get('cocagne.round.run.stop')
        plan, _ = self.round.plan() or (None, None)
        return [Stop(
                sequence=i, round_stop=s, place=s.place, party=s.party,
                planned_arrival=(clock(self.round.departure, plan.arrivals[i])
                    if plan else None))
            for i, s in enumerate(self.round.stops, 1)]

    @classmethod
    def preprocess_values(cls, mode, values):
        "Give a new run the stops and the driver of its round."
        pool = Pool()
        Round = pool.get('cocagne.round')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('round'):
            round_ = Round(values['round'])
            values.setdefault('company', round_.company.id)
            if not values.get('driver') and round_.driver:
                values['driver'] = round_.driver.id
            if not values.get('stops'):
                run = cls(round=round_)
                values['stops'] = [('create', [
                            s._save_values() for s in run.round_stops()])]
        return values

    @classmethod
    def validate_fields(cls, runs, field_names):
        super().validate_fields(runs, field_names)
        if field_names & {'driver', 'company'}:
            for run in runs:
                if run.driver and run.driver.company != run.company:
                    raise RunError(gettext(
                            'cocagne_tournees.msg_run_driver_garden',
                            driver=run.driver.rec_name,
                            run=run.rec_name,
                            garden=run.company.rec_name))

    @classmethod
    def get_figures(cls, runs, names):
        "The figures of the stops, summed over each run."
        RunStop = Pool().get('cocagne.round.run.stop')
        stops = RunStop.search([('run', 'in', [r.id for r in runs])])
        sums = ['revenue', 'tickets', 'customers']
        figures = RunStop.get_figures(stops, sums)
        totals = {r.id: {'revenue': Decimal(0), 'tickets': 0, 'customers': 0}
            for r in runs}
        for stop in stops:
            for name in sums:
                totals[stop.run.id][name] += figures[name][stop.id]
        for total in totals.values():
            total['average_basket'] = van_stock.average_basket(
                total['revenue'], total['tickets'])
        return {n: {i: t[n] for i, t in totals.items()} for n in names}

    def previous_sales(self, count=3):
        """The quantity sold per product at each of the last count
        reconciled runs of the round before this one."""
        runs = self.search([
                ('round', '=', self.round.id),
                ('state', '=', 'reconciled'),
                ('date', '<', self.date),
                ], order=[('date', 'DESC')], limit=count)
        sold = {}
        for line in Pool().get('cocagne.round.run.line').search([
                    ('run', 'in', [r.id for r in runs]),
                    ]):
            sold.setdefault(line.product, []).append(line.sold_quantity)
        return sold, len(runs)

    def deliveries(self):
        """The quantity to deliver per product at the stops of the run:
        what the modules selling orders or baskets add to the load."""
        return {}

    @classmethod
    @ModelView.button
    def propose_load(cls, runs):
        """Fill the load of each run from the sales of the last runs of its
        round and from the deliveries due at its stops."""
        Line = Pool().get('cocagne.round.run.line')
        to_save = []
        for run in runs:
            sold, count = run.previous_sales()
            proposal = van_stock.propose_load(
                {p.id: q for p, q in sold.items()}, count,
                {p.id: q for p, q in run.deliveries().items()})
            lines = {l.product.id: l for l in run.lines}
            for product, quantity in proposal.items():
                line = lines.get(product) or Line(run=run, product=product)
                line.loaded_quantity = van_stock.ceil_to(
                    quantity, line.product.default_uom.rounding)
                to_save.append(line)
        Line.save(to_save)

    @classmethod
    @ModelView.button
    def load(cls, runs):
        """Move the load from the site to the van; a run already loaded is
        refused rather than loaded again."""
        cls.lock(runs)
        for run in cls.browse(runs):
            if run.state != 'draft':
                raise RunError(gettext(
                        'cocagne_tournees.msg_run_loaded_twice',
                        run=run.rec_name,
                        state=run.state_string))
        cls._load(cls.browse(runs))

    @classmethod
    @Workflow.transition('loaded')
    def _load(cls, runs):
        cls.transfer(runs, 'site_storage', 'van_storage',
            lambda line: line.loaded_quantity)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def unload_van(cls, runs):
        "Take the load back out of the van before leaving."
        cls.transfer(runs, 'van_storage', 'site_storage',
            lambda line: line.loaded_quantity)

    @classmethod
    def transfer(cls, runs, source, destination, quantity):
        """Move quantity(line) of the product of each line of runs from the
        location named source of its run to the one named destination."""
        Move = Pool().get('stock.move')
        moves = [line.move(
                getattr(run, source), getattr(run, destination), moved)
            for run in runs for line in run.lines
            if (moved := quantity(line))]
        Move.save(moves)
        Move.do(moves)

    @property
    def site_storage(self):
        return self.round.site.storage_location

    @property
    def van_storage(self):
        return self.round.van.storage_location

    @property
    def loss_location(self):
        "The garden's location of the losses."
        Configuration = Pool().get('cocagne.configuration')
        return Configuration.garden_value('round_loss_location', self.company)

    @classmethod
    @ModelView.button
    @Workflow.transition('on_road')
    def start(cls, runs):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def unload(cls, runs):
        """Move what came back from the van to the site, and receive the
        produce collected at the farms."""
        RunStop = Pool().get('cocagne.round.run.stop')
        for run in runs:
            run.check_returns()
        cls.transfer(runs, 'van_storage', 'site_storage',
            lambda line: line.returned_quantity)
        RunStop.receive([s for r in runs if r.kind == 'collection'
                for s in r.stops])

    def check_returns(self):
        "Refuse negative returns, naming the product."
        for line in self.lines:
            if (line.returned_quantity or 0) < 0:
                raise RunError(gettext(
                        'cocagne_tournees.msg_run_negative_return',
                        run=self.rec_name,
                        product=line.product.rec_name,
                        quantity=line.returned_quantity))

    @classmethod
    @ModelView.button
    @Workflow.transition('reconciled')
    def reconcile(cls, runs):
        """Post the tickets of the stops and move the losses (loaded, less
        sold, delivered and returned) from the van to the garden's loss
        location."""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Line = pool.get('cocagne.round.run.line')
        open_ = Sale.search([
                ('round_stop.run', 'in', [r.id for r in runs]),
                ('state', '=', 'open'),
                ], limit=1)
        if open_:
            raise RunError(gettext(
                    'cocagne_tournees.msg_run_open_ticket',
                    run=open_[0].round_stop.run.rec_name,
                    stop=open_[0].round_stop.rec_name))
        sold, delivered, losses = Line.balance(
            [l for r in runs for l in r.lines])
        for run in runs:
            run.check_returns()
            for line in run.lines:
                if losses[line.id] < 0:
                    raise RunError(gettext(
                            'cocagne_tournees.msg_run_more_than_loaded',
                            run=run.rec_name,
                            product=line.product.rec_name,
                            loaded=line.loaded_quantity or 0,
                            sold=line.unit.round(
                                sold[line.id] + delivered[line.id]),
                            returned=line.returned_quantity or 0))
        Sale.post(Sale.search([
                    ('round_stop.run', 'in', [r.id for r in runs]),
                    ('state', '=', 'done'),
                    ]))
        # the shipments delivered took their goods out of the site's stock:
        # the van gives them back to the site
        cls.transfer(runs, 'van_storage', 'site_storage',
            lambda line: delivered[line.id])
        cls.transfer(runs, 'van_storage', 'loss_location',
            lambda line: losses[line.id])

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, runs):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        pass

    @classmethod
    def copy(cls, runs, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('lines.returned_quantity')
        default.setdefault('stops.sales')
        default.setdefault('stops.purchase')
        return super().copy(runs, default=default)


class RunLine(ModelSQL, ModelView):
    __name__ = 'cocagne.round.run.line'
    __string__ = "Round Run Load"
    run = fields.Many2One(
        'cocagne.round.run', "Run", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    product = fields.Many2One(
        'product.product', "Product", required=True,
        domain=[('type', '=', 'goods')],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        states={
            'readonly': Eval('run_state') != 'draft',
            })
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'on_change_with_unit')
    loaded_quantity = fields.Float(
        "Loaded", digits='unit',
        domain=[If(Eval('loaded_quantity', None) != None,
                ('loaded_quantity', '>=', 0), ())],
        states={
            'readonly': Eval('run_state') != 'draft',
            })
    sold_quantity = fields.Function(
        fields.Float("Sold", digits='unit',
            help="On the tickets paid at the stops."),
        'get_quantities')
    delivered_quantity = fields.Function(
        fields.Float("Delivered", digits='unit',
            help="On the customer shipments due at the stops."),
        'get_quantities')
    returned_quantity = fields.Float(
        "Returned", digits='unit',
        states={
            'readonly': ~Eval('run_state').in_(['on_road', 'done']),
            },
        help="What came back in the van, counted at the site.")
    loss_quantity = fields.Function(
        fields.Float("Loss", digits='unit',
            help="Loaded, less sold, delivered and returned."),
        'get_quantities')
    run_state = fields.Function(
        fields.Selection(STATES, "Run State"), 'on_change_with_run_state')
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('run_product_unique', Unique(t, t.run, t.product),
                'cocagne_tournees.msg_run_line_unique'),
            ]
        cls._order.insert(0, ('product', 'ASC'))

    @fields.depends('run', '_parent_run.company')
    def on_change_with_company(self, name=None):
        return self.run.company if self.run else None

    @classmethod
    def search_company(cls, name, clause):
        return [('run.' + clause[0], *clause[1:])]

    @fields.depends('run', '_parent_run.state')
    def on_change_with_run_state(self, name=None):
        return self.run.state if self.run else None

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    def get_rec_name(self, name):
        return f'{self.product.rec_name} @ {self.run.rec_name}'

    @classmethod
    def sold(cls, lines):
        """The quantity of each line's product on the tickets paid at the
        stops of its run, in the product's unit, read in one query."""
        sold = cls.ticket_quantities({l.run.id for l in lines}, SOLD_STATES)
        return {l.id: l.unit.round(sold.get((l.run.id, l.product.id), 0))
            for l in lines}

    @classmethod
    def ticket_quantities(cls, run_ids, states):
        """Return {(run id, product id): quantity} on the tickets in states
        made at the stops of the runs."""
        pool = Pool()
        SaleLine = pool.get('sale.point.sale.line')
        Sale = pool.get('sale.point.sale')
        RunStop = pool.get('cocagne.round.run.stop')
        sale_line = SaleLine.__table__()
        sale = Sale.__table__()
        stop = RunStop.__table__()
        cursor = Transaction().connection.cursor()
        quantities = {}
        for sub_runs in grouped_slice(list(run_ids)):
            cursor.execute(*sale_line
                .join(sale, condition=sale_line.sale == sale.id)
                .join(stop, condition=sale.round_stop == stop.id)
                .select(stop.run, sale_line.product, Sum(sale_line.quantity),
                    where=fields.SQL_OPERATORS['in'](stop.run, sub_runs)
                    & fields.SQL_OPERATORS['in'](sale.state, states),
                    group_by=[stop.run, sale_line.product]))
            quantities.update(((r, p), q or 0) for r, p, q in cursor)
        return quantities

    @classmethod
    def delivered(cls, lines):
        """The quantity of each line's product on the customer shipments due
        at the stops of its run (Run.deliveries)."""
        deliveries = {r: r.deliveries() for r in {l.run for l in lines}}
        return {l.id: l.unit.round(deliveries[l.run].get(l.product, 0))
            for l in lines}

    @classmethod
    def balance(cls, lines):
        """Return the quantities sold, delivered and lost of lines, as
        {line id: quantity} each, rounded to their unit."""
        sold = cls.sold(lines)
        delivered = cls.delivered(lines)
        losses = van_stock.losses({l.id: (
                    l.loaded_quantity or 0, sold[l.id] + delivered[l.id],
                    l.returned_quantity or 0)
                for l in lines})
        return sold, delivered, {
            l.id: l.unit.round(losses[l.id]) for l in lines}

    @classmethod
    def get_quantities(cls, lines, names):
        sold, delivered, losses = cls.balance(lines)
        result = {
            'sold_quantity': sold,
            'delivered_quantity': delivered,
            'loss_quantity': {l.id: (losses[l.id]
                    if l.returned_quantity is not None else None)
                for l in lines},
            }
        return {n: result[n] for n in names}

    def move(self, from_location, to_location, quantity):
        "A stock move of quantity of the product on the run's date."
        Move = Pool().get('stock.move')
        return Move(
            product=self.product, unit=self.unit, quantity=quantity,
            from_location=from_location, to_location=to_location,
            company=self.run.company, effective_date=self.run.date,
            planned_date=self.run.date, origin=self)


class RunStop(ModelSQL, ModelView):
    __name__ = 'cocagne.round.run.stop'
    __string__ = "Round Run Stop"
    run = fields.Many2One(
        'cocagne.round.run', "Run", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    sequence = fields.Integer("Sequence")
    round_stop = fields.Many2One(
        'cocagne.round.stop', "Round Stop", readonly=True,
        ondelete='SET NULL')
    place = fields.Many2One(
        'cocagne.place', "Place", required=True,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Party",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The customer delivered or the farm collected at this stop.")
    planned_arrival = fields.Time("Planned Arrival", format='%H:%M')
    sales = fields.One2Many(
        'sale.point.sale', 'round_stop', "Tickets", readonly=True)
    revenue = fields.Function(
        fields.Numeric("Revenue", digits=(16, 2)), 'get_figures')
    tickets = fields.Function(fields.Integer("Tickets"), 'get_figures')
    customers = fields.Function(fields.Integer("Customers"), 'get_figures')
    average_basket = fields.Function(
        fields.Numeric("Average Basket", digits=(16, 2)), 'get_figures')
    collected = fields.One2Many(
        'cocagne.round.run.collection', 'stop', "Collected",
        help="The produce taken at the farm, received as a purchase.")
    purchase = fields.Many2One(
        'purchase.purchase', "Purchase", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('run', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]

    @fields.depends('run', '_parent_run.company')
    def on_change_with_company(self, name=None):
        return self.run.company if self.run else None

    @classmethod
    def search_company(cls, name, clause):
        return [('run.' + clause[0], *clause[1:])]

    def get_rec_name(self, name):
        return self.place.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('place.rec_name', *clause[1:])]

    @classmethod
    def get_figures(cls, stops, names):
        """Revenue, tickets, customers and average basket of the paid
        tickets of each stop: a ticket without a customer is one customer,
        the tickets of a same customer count once."""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        ids = [s.id for s in stops]
        figures = {i: {'revenue': Decimal(0), 'tickets': 0, 'customers': set()}
            for i in ids}
        for sale in Sale.search([
                    ('round_stop', 'in', ids),
                    ('state', 'in', SOLD_STATES),
                    ]):
            figure = figures[sale.round_stop.id]
            figure['revenue'] += sale.total
            figure['tickets'] += 1
            figure['customers'].add(
                ('party', sale.customer.id) if sale.customer
                else ('ticket', sale.id))
        result = {n: {} for n in names}
        for i, figure in figures.items():
            tickets = figure['tickets']
            values = {
                'revenue': figure['revenue'],
                'tickets': tickets,
                'customers': len(figure['customers']),
                'average_basket': van_stock.average_basket(
                    figure['revenue'], tickets),
                }
            for name in names:
                result[name][i] = values[name]
        return result

    @classmethod
    def receive(cls, stops):
        """Buy from each farm, as a confirmed purchase, the produce
        collected at its stop, received straight into the storage of the
        run's site."""
        pool = Pool()
        Purchase = pool.get('purchase.purchase')
        Move = pool.get('stock.move')
        stops = [s for s in stops if s.collected and not s.purchase]
        for stop in stops:
            if not stop.party:
                raise RunError(gettext(
                        'cocagne_tournees.msg_collection_no_farm',
                        stop=stop.rec_name, run=stop.run.rec_name))
        purchases = [s.get_purchase() for s in stops]
        Purchase.save(purchases)
        Purchase.quote(purchases)
        Purchase.confirm(purchases)
        Purchase.process(purchases)
        moves = []
        for stop, purchase in zip(stops, purchases):
            stop.purchase = purchase
            for move in Purchase(purchase.id).moves:
                move.to_location = stop.run.site_storage
                move.effective_date = stop.run.date
                moves.append(move)
        cls.save(stops)
        Move.save(moves)
        Move.do(moves)

    def get_purchase(self):
        "The purchase of what was collected at this stop."
        pool = Pool()
        Purchase = pool.get('purchase.purchase')
        PurchaseLine = pool.get('purchase.line')
        purchase = Purchase(
            company=self.run.company, party=self.party,
            purchase_date=self.run.date,
            warehouse=self.run.round.site)
        purchase.on_change_party()
        purchase.warehouse = self.run.round.site
        lines = []
        for collected in self.collected:
            line = PurchaseLine(
                purchase=purchase, type='line', product=collected.product,
                quantity=collected.quantity, unit=collected.unit)
            line.on_change_product()
            line.unit = collected.unit
            line.quantity = collected.quantity
            if collected.unit_price is not None:
                line.unit_price = collected.unit_price
            elif line.unit_price is None:
                raise RunError(gettext(
                        'cocagne_tournees.msg_collection_no_price',
                        product=collected.product.rec_name,
                        farm=self.party.rec_name,
                        run=self.run.rec_name))
            line.delivery_date_edit = True
            line.delivery_date_store = self.run.date
            lines.append(line)
        purchase.lines = lines
        return purchase


class Collection(ModelSQL, ModelView):
    __name__ = 'cocagne.round.run.collection'
    __string__ = "Round Run Collection"
    stop = fields.Many2One(
        'cocagne.round.run.stop', "Stop", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    product = fields.Many2One(
        'product.product', "Product", required=True,
        domain=[
            ('type', '=', 'goods'),
            ('purchasable', '=', True),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    quantity = fields.Float(
        "Quantity", digits='unit', required=True,
        domain=[('quantity', '>', 0)])
    unit = fields.Many2One('product.uom', "Unit", required=True,
        domain=[
            If(Eval('product_uom_category'),
                ('category', '=', Eval('product_uom_category', -1)),
                ()),
            ])
    product_uom_category = fields.Function(
        fields.Many2One('product.uom.category', "Unit Category"),
        'on_change_with_product_uom_category')
    unit_price = fields.Numeric(
        "Unit Price", digits=(16, 4),
        help="Leave empty for the farm's usual purchase price.")

    @fields.depends('stop', '_parent_stop.run')
    def on_change_with_company(self, name=None):
        return self.stop.run.company if self.stop and self.stop.run else None

    @classmethod
    def search_company(cls, name, clause):
        return [('stop.run.' + clause[0], *clause[1:])]

    @fields.depends('product')
    def on_change_product(self):
        if self.product:
            self.unit = self.product.purchase_uom or self.product.default_uom

    @fields.depends('product')
    def on_change_with_product_uom_category(self, name=None):
        return self.product.default_uom.category if self.product else None

"""Harvests: the quick daily entry of the garden's own produce by the
market-gardening team, put into stock as raw lots at the vegetable
processing unit or a storage site, and the kilograms harvested per product
and month."""
from decimal import Decimal

from sql import Null
from sql.aggregate import Count, Min, Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.cocagne_base.timesheet import MonthMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import harvesting, processing
from .exceptions import HarvestError
from .recipe import kilograms

# the kinds of site that receive the harvests
DESTINATION_KINDS = ['legumerie', 'conserverie', 'logistics', 'kitchen']
STATES = [
    ('draft', "Draft"),
    ('done', "In Stock"),
    ]


class Harvest(GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    """A crop picked on a plot of the garden on a day.

    Putting it into stock creates a lot of the product, dated from the
    harvest, and a done stock move of that lot from the production location
    of the plot to the storage of the receiving site.

    Why from the plot's production location: the produce comes into
    existence at harvest, and Tryton's way for goods that appear is a move
    from a location of type production, as the outputs of a production do.
    Such a move is valued at the product's cost price, leaves the lot
    without anything upstream (where a recall starts), and the moves out of
    each plot's production location tell what the plot yielded. A lost and
    found location would count the harvests as inventory gains and a
    supplier location as purchases; an internal move from the plot's
    storage would need the produce to be in stock there first. A plot
    site without a production location falls back on the receiving
    site's."""
    __name__ = 'cocagne.harvest'
    __string__ = "Harvest"
    _states = {
        'readonly': Eval('state') != 'draft',
        }
    company = fields.Many2One(
        'company.company', "Garden", required=True, states=_states)
    date = fields.Date("Date", required=True, states=_states)
    product = fields.Many2One(
        'product.product', "Product", required=True,
        domain=[
            ('type', '=', 'goods'),
            ('template.origin', '=', 'own'),
            ('template.company', 'in', [Eval('company', -1), None]),
            ],
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="A produce of the garden.")
    plot = fields.Many2One(
        'stock.location', "Plot", required=True,
        domain=[
            ('type', '=', 'warehouse'),
            ('site_kind', '=', harvesting.PLOTS),
            ('company', '=', Eval('company', -1)),
            ],
        states=_states,
        help="The production plots where the crop was picked.")
    quantity = fields.Float(
        "Quantity", digits='unit', required=True, states=_states,
        help="The weight harvested, or the count for a produce sold by the "
        "piece or the bunch, in the product's unit.")
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'on_change_with_unit')
    weight = fields.Float(
        "Weight (kg)", digits=(16, 3), readonly=True,
        help="The quantity in kilograms, when the product is weighed.")
    site = fields.Many2One(
        'stock.location', "Destination", required=True,
        domain=[
            ('type', '=', 'warehouse'),
            ('site_kind', 'in', DESTINATION_KINDS),
            ('company', '=', Eval('company', -1)),
            ],
        states=_states,
        help="The site whose stock receives the produce: the vegetable "
        "processing unit, the cannery or a storage platform.")
    harvester = fields.Many2One(
        'company.employee', "Harvested By",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states,
        help="Who picked the crop or leads the team that did.")
    lot = fields.Many2One(
        'stock.lot', "Lot", readonly=True, ondelete='RESTRICT',
        help="The lot of the produce in stock.")
    move = fields.Many2One(
        'stock.move', "Stock Move", readonly=True, ondelete='RESTRICT')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Equality()),
                    (t.date, Index.Range())),
                Index(t, (t.state, Index.Equality()),
                    where=t.state == 'draft'),
                })
        cls._transitions |= {('draft', 'done')}
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def _usual(cls, field, domain):
        """The value of field in the garden's latest harvest, or the
        garden's first site matching domain."""
        Location = Pool().get('stock.location')
        company = cls.default_company()
        if company is None:
            return None
        latest = cls.search([('company', '=', company)],
            order=[('id', 'DESC')], limit=1)
        if latest:
            return getattr(latest[0], field).id
        sites = Location.search([
                ('type', '=', 'warehouse'),
                ('company', '=', company),
                domain,
                ], order=[('id', 'ASC')], limit=1)
        return sites[0].id if sites else None

    @classmethod
    def default_site(cls):
        "The site of the garden's latest harvest, else its légumerie."
        return cls._usual('site', ('site_kind', '=', 'legumerie'))

    @classmethod
    def default_plot(cls):
        "The plot of the garden's latest harvest, else its first plots."
        return cls._usual('plot', ('site_kind', '=', harvesting.PLOTS))

    @classmethod
    def default_harvester(cls):
        User = Pool().get('res.user')
        employee = User(Transaction().user).employee
        if employee and employee.company.id == cls.default_company():
            return employee.id

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @fields.depends('product', 'quantity')
    def on_change_with_weight(self):
        if self.product and self.quantity is not None:
            weight = kilograms(self.quantity, self.product.default_uom)
            return round(weight, 3) if weight is not None else None

    def compute_fields(self, field_names=None):
        cls = self.__class__
        values = super().compute_fields(field_names=field_names)
        if (field_names is None
                or (cls.weight.on_change_with & field_names)):
            weight = self.on_change_with_weight()
            if getattr(self, 'weight', None) != weight:
                values['weight'] = weight
        return values

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return (f'{self.product.rec_name if self.product else ""} '
            f'({lang.strftime(self.date) if self.date else ""})')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('product.rec_name',) + tuple(clause[1:])]

    @classmethod
    def _validate(cls, harvests, field_names=None):
        # the garden's checks come before the fields' domains: their
        # messages name the harvest and say what to enter instead
        cls.check_harvests(harvests, field_names)
        super()._validate(harvests, field_names=field_names)

    @classmethod
    def check_harvests(cls, harvests, field_names=None):
        "Refuse a harvest that harvesting.problem finds wrong."
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        checked = {'quantity', 'date', 'plot', 'site', 'company'}
        if field_names is not None and not (set(field_names) & checked):
            return
        lang = Lang.get()
        for harvest in harvests:
            company = harvest.company
            with Transaction().set_context(
                    company=company.id if company else None):
                today = Date.today()
            plot, site = harvest.plot, harvest.site
            found = harvesting.problem(harvest.quantity, harvest.date, today,
                plot.site_kind if plot else None,
                plot.company if plot else None,
                site.company if site else None,
                company)
            if not found:
                continue
            values = {
                'harvest': harvest.rec_name,
                'garden': company.rec_name if company else '',
                }
            if found == 'quantity':
                values['quantity'] = ' '.join(filter(None, [
                            lang.format_number(harvest.quantity),
                            harvest.unit.symbol if harvest.unit else None]))
            elif found == 'future':
                values['date'] = lang.strftime(harvest.date)
            elif found == 'not_plot':
                values['site'] = plot.rec_name
            else:
                other = plot if found == 'plot_garden' else site
                values['site'] = other.rec_name
                values['site_garden'] = (other.company.rec_name
                    if other.company else '')
            message = {
                'plot_garden': 'msg_harvest_other_garden',
                'site_garden': 'msg_harvest_other_garden',
                }.get(found, f'msg_harvest_{found}')
            raise HarvestError(gettext(
                    f'cocagne_transformation.{message}', **values))

    @classmethod
    def check_modification(cls, mode, harvests, values=None, external=False):
        super().check_modification(
            mode, harvests, values=values, external=external)
        if mode == 'delete':
            for harvest in harvests:
                if harvest.state == 'done':
                    raise HarvestError(gettext(
                            'cocagne_transformation.msg_harvest_delete_done',
                            harvest=harvest.rec_name,
                            lot=harvest.lot.rec_name if harvest.lot else ''))

    @classmethod
    def copy(cls, harvests, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lot')
        default.setdefault('move')
        default.setdefault('weight')
        default.setdefault('date', cls.default_date())
        return super().copy(harvests, default=default)

    def source_location(self):
        """The production location where the produce comes from: the
        plots', else the receiving site's."""
        location = (self.plot.production_location
            or self.site.production_location)
        if not location:
            raise HarvestError(gettext(
                    'cocagne_transformation.msg_harvest_no_production',
                    harvest=self.rec_name, plot=self.plot.rec_name))
        return location

    def new_lot(self):
        """A lot of the produce dated from the harvest: numbered by the
        product's lot sequence if it has one, its shelf life counted from
        the harvest day."""
        Lot = Pool().get('stock.lot')
        product = self.product
        lot = Lot(product=product, production_date=self.date)
        if not product.lot_sequence:
            lot.number = harvesting.lot_number(self.date, self.id)
        if product.shelf_life_state != 'none':
            lot.shelf_life_expiration_date = processing.expiry_date(
                self.date, product.shelf_life_time)
        if product.expiration_state != 'none':
            lot.expiration_date = processing.expiry_date(
                self.date, product.expiration_time)
        return lot

    def new_move(self, lot):
        "The stock move that brings the lot to the site's storage."
        Move = Pool().get('stock.move')
        with Transaction().set_context(company=self.company.id):
            cost = self.product.cost_price
        return Move(
            company=self.company,
            product=self.product,
            unit=self.product.default_uom,
            quantity=self.quantity,
            lot=lot,
            from_location=self.source_location(),
            to_location=self.site.storage_location,
            planned_date=self.date,
            effective_date=self.date,
            unit_price=cost if cost is not None else Decimal(0),
            currency=self.company.currency,
            origin=self)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, harvests):
        "Put the harvests into stock: one lot and one done move each."
        pool = Pool()
        Lot = pool.get('stock.lot')
        Move = pool.get('stock.move')
        for harvest in harvests:
            # every check before any write
            harvest.source_location()
        lots = [h.new_lot() for h in harvests]
        # the team records harvests without being stock keepers: the button
        # is the access check
        with without_check_access():
            Lot.save(lots)
            moves = [h.new_move(l) for h, l in zip(harvests, lots)]
            Move.save(moves)
            Move.do(moves)
        to_write = []
        for harvest, lot, move in zip(harvests, lots, moves):
            to_write.extend([[harvest], {'lot': lot.id, 'move': move.id}])
        if to_write:
            cls.write(*to_write)


class HarvestMonth(GardenOwnedMixin, MonthMixin, ModelSQL, ModelView):
    "The harvests put into stock, summed per garden, product and month"
    __name__ = 'cocagne.harvest.month'
    __string__ = "Harvests per Month"
    company = fields.Many2One('company.company', "Garden")
    product = fields.Many2One(
        'product.product', "Product",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    quantity = fields.Float("Quantity", digits='unit')
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'get_unit')
    weight = fields.Float("Weight (kg)", digits=(16, 1))
    harvests = fields.Integer("Harvests")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'ASC'), ('month', 'ASC'), ('product', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        harvest = Pool().get('cocagne.harvest').__table__()
        year, month = cls.year_month(harvest)
        return harvest.select(
            Min(harvest.id).as_('id'),
            harvest.company.as_('company'),
            harvest.product.as_('product'),
            year.as_('year'),
            month.as_('month'),
            Sum(harvest.quantity).as_('quantity'),
            Sum(harvest.weight).as_('weight'),
            Count(harvest.id).as_('harvests'),
            where=(harvest.state == 'done') & (harvest.product != Null),
            group_by=[harvest.company, harvest.product, year, month])

    def get_unit(self, name):
        return self.product.default_uom.id if self.product else None


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['cocagne.harvest']

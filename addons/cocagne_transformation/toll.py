"""Toll processing (prestation à façon): a partner farm's produce is received
into the farm's own location at a processing site, made into batches there
and returned to the farm; the garden invoices the service to the farm per
kilogram or per unit. The farm's lots run through the batches, so a recall
finds them both ways."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.cocagne_base.configuration import default_func
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.product import round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id, If
from trytond.transaction import Transaction, without_check_access

from . import toll_billing
from .exceptions import TollError
from .recipe import kilograms

TOLL = 'cocagne.transformation.toll'
BASES = [
    ('input', "Weight received (kg)"),
    ('output', "Weight made (kg)"),
    ('unit', "Units made"),
    ]
STATES = [
    ('draft', "Draft"),
    ('received', "Received"),
    ('processed', "Processed"),
    ('returned', "Returned"),
    ('invoiced', "Invoiced"),
    ('cancelled', "Cancelled"),
    ]
QUANTITY_DIGITS = (16, 3)


def _sequence_domain(company):
    return [
        ('company', 'in', [company, None]),
        ('sequence_type', '=',
            Id('cocagne_transformation', 'sequence_type_toll')),
        ]


class Configuration(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration'
    toll_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence', "Toll Processing Sequence", required=True,
            domain=_sequence_domain(
                Eval('context', {}).get('company', -1)),
            help="Numbers the toll processing jobs of the garden."))

    @classmethod
    def multivalue_model(cls, field):
        if field == 'toll_sequence':
            return Pool().get('cocagne.configuration.transformation')
        return super().multivalue_model(field)

    default_toll_sequence = default_func('toll_sequence')


class ConfigurationTransformation(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration.transformation'
    toll_sequence = fields.Many2One(
        'ir.sequence', "Toll Processing Sequence",
        domain=_sequence_domain(Eval('company', -1)))

    @classmethod
    def default_toll_sequence(cls):
        try:
            return Pool().get('ir.model.data').get_id(
                'cocagne_transformation', 'sequence_toll')
        except KeyError:
            return None


class Toll(GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    "Toll processing of a partner farm's produce"
    __name__ = TOLL
    __string__ = "Toll Processing"
    _rec_name = 'number'
    _states = {
        'readonly': Eval('state') != 'draft',
        }
    _billing_states = {
        'readonly': Eval('state').in_(['invoiced', 'cancelled']),
        }
    # the farm and the site make the location of the produce received
    _located_states = {
        'readonly': (Eval('state') != 'draft') | Bool(Eval('receptions')),
        }

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Garden", required=True, states=_located_states)
    farm = fields.Many2One(
        'party.party', "Farm", required=True,
        domain=[
            ('producer', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        states=_located_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The partner farm whose produce the garden processes.")
    recipe = fields.Many2One(
        'production.bom', "Recipe", required=True,
        domain=[
            ('site', '!=', None),
            ('company', 'in', [Eval('company', -1), None]),
            ],
        states=_located_states,
        help="What the garden makes of the farm's produce, and where.")
    site = fields.Function(
        fields.Many2One('stock.location', "Processing Site"),
        'on_change_with_site')
    location = fields.Many2One(
        'stock.location', "Farm's Location", readonly=True,
        help="The location of the site that holds the farm's stock: its "
        "produce and what is made of it remain the farm's.")
    supplier_location = fields.Function(
        fields.Many2One('stock.location', "Supplier Location"),
        'on_change_with_supplier_location')
    reception_date = fields.Date(
        "Reception Date", required=True, states=_states)
    return_date = fields.Date(
        "Return Date",
        states={
            'readonly': ~Eval('state').in_(['draft', 'received', 'processed']),
            },
        help="Leave empty to return on the day of the return.")
    receptions = fields.One2Many(
        'stock.move', 'origin', "Produce Received",
        filter=[('from_location.type', '=', 'supplier')],
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', [
                    ('from_location', '=', Eval('supplier_location', -1)),
                    ('to_location', '=', Eval('location', -1)),
                    ], []),
            ],
        states={
            'readonly': (Eval('state') != 'draft') | ~Eval('location'),
            },
        help="The farm's produce with the farm's own lot numbers.\n"
        "Save the job first to enter them.")
    productions = fields.One2Many(
        'production', 'origin', "Batches", readonly=True)
    returns = fields.One2Many(
        'stock.move', 'origin', "Returned to the Farm",
        filter=[('to_location.type', '=', 'customer')], readonly=True)
    service = fields.Many2One(
        'product.product', "Service", required=True,
        domain=[('type', '=', 'service')],
        states=_billing_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The service invoiced to the farm at its sale price, "
        "per kilogram or per unit: the unit of the product.")
    service_unit = fields.Function(
        fields.Many2One('product.uom', "Service Unit"),
        'on_change_with_service_unit')
    basis = fields.Selection(
        BASES, "Invoiced On", required=True, states=_billing_states,
        help="What the quantity invoiced counts.")
    basis_string = basis.translated('basis')
    input_weight = fields.Function(
        fields.Float("Weight Received (kg)", digits=QUANTITY_DIGITS),
        'get_quantities')
    output_weight = fields.Function(
        fields.Float("Weight Made (kg)", digits=QUANTITY_DIGITS),
        'get_quantities')
    units = fields.Function(
        fields.Float("Units Made", digits=QUANTITY_DIGITS),
        'get_quantities')
    billed_quantity = fields.Function(
        fields.Float("Quantity Invoiced", digits=QUANTITY_DIGITS,
            help="In the unit of the service."),
        'get_quantities')
    invoice_lines = fields.One2Many(
        'account.invoice.line', 'origin', "Invoice Lines", readonly=True)
    customer_invoice = fields.Function(
        fields.Many2One('account.invoice', "Invoice"),
        'get_customer_invoice')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    del _states, _billing_states, _located_states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('reception_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'received'),
            ('received', 'processed'),
            ('processed', 'returned'),
            ('returned', 'invoiced'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'receive': {
                    'invisible': Eval('state') != 'draft',
                    'readonly': ~Eval('receptions'),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'receptions'],
                    },
                'create_batch': {
                    'invisible': Eval('state') != 'received',
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                'process': {
                    'invisible': Eval('state') != 'received',
                    'readonly': ~Eval('productions'),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'productions'],
                    },
                'return_': {
                    'invisible': Eval('state') != 'processed',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'invoice': {
                    'invisible': Eval('state') != 'returned',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_reception_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_basis(cls):
        return 'input'

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('recipe')
    def on_change_with_site(self, name=None):
        return self.recipe.site if self.recipe else None

    @fields.depends('farm', 'company')
    def on_change_with_supplier_location(self, name=None):
        if self.farm:
            return self.farm.get_multivalue('supplier_location',
                company=self.company.id if self.company else None)

    @fields.depends('service')
    def on_change_with_service_unit(self, name=None):
        return self.service.default_uom if self.service else None

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('cocagne.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            company = values.get('company', cls.default_company())
            sequence = Configuration(1).get_multivalue(
                'toll_sequence', company=company)
            if not sequence:
                sequence = pool.get('ir.sequence')(pool.get(
                        'cocagne.configuration.transformation'
                        ).default_toll_sequence())
            with Transaction().set_context(company=company):
                values['number'] = sequence.get()
        return values

    @classmethod
    def on_modification(cls, mode, tolls, field_names=None):
        super().on_modification(mode, tolls, field_names=field_names)
        if mode == 'create' or (mode == 'write'
                and (field_names or set()) & {'farm', 'recipe', 'company'}):
            cls.set_location(tolls)

    @classmethod
    def set_location(cls, tolls):
        "Give each job the farm's location at the site of its recipe."
        Location = Pool().get('stock.location')
        for toll in tolls:
            site = toll.recipe.site
            if (toll.location and toll.location.parent == site
                    and toll.location.toll_farm == toll.farm):
                continue
            location = Location.toll_location(site, toll.farm)
            if toll.location != location:
                cls.write([toll], {'location': location.id})

    @classmethod
    def check_modification(cls, mode, tolls, values=None, external=False):
        super().check_modification(
            mode, tolls, values=values, external=external)
        if mode == 'delete':
            for toll in tolls:
                if toll.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'cocagne_transformation.msg_toll_delete',
                            toll=toll.rec_name))

    @classmethod
    def on_delete(cls, tolls):
        Move = Pool().get('stock.move')
        callbacks = super().on_delete(tolls)
        moves = Move.browse([m for t in tolls for m in t.receptions])
        if moves:
            callbacks.append(lambda: Move.delete(moves))
        return callbacks

    @classmethod
    def copy(cls, tolls, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        for name in ['number', 'location', 'return_date', 'receptions',
                'productions', 'returns', 'invoice_lines']:
            default.setdefault(name, None)
        return super().copy(tolls, default=default)

    @property
    def received_products(self):
        "The products that the farm brought."
        return {m.product for m in self.receptions if m.state != 'cancelled'}

    def left(self, batch_states):
        """{(product, lot): quantity in the product's unit} received and not
        used by the batches in batch_states."""
        received = [((m.product, m.lot), m.internal_quantity)
            for m in self.receptions if m.state == 'done']
        used = [((m.product, m.lot), m.internal_quantity)
            for p in self.productions if p.state in batch_states
            for m in p.inputs
            if m.state != 'cancelled' and m.from_location == self.location]
        return toll_billing.remaining(received, used)

    @classmethod
    def get_quantities(cls, tolls, names):
        pool = Pool()
        Uom = pool.get('product.uom')
        ModelData = pool.get('ir.model.data')
        unit = Uom(ModelData.get_id('product', 'uom_unit'))
        result = {n: {} for n in names}
        for toll in tolls:
            received = [kilograms(m.quantity, m.unit)
                for m in toll.receptions if m.state == 'done']
            batches = [p for p in toll.productions if p.state == 'done']
            made = [m for p in batches for m in p.outputs
                if m.state == 'done' and m.to_location == toll.location]
            quantities = (
                sum(w for w in received if w) or None,
                sum(p.output_weight or 0 for p in batches) or None,
                sum(Uom.compute_qty(m.unit, m.quantity, unit, round=False)
                    for m in made if m.unit.category == unit.category)
                or None,
                )
            values = dict(zip(
                    ['input_weight', 'output_weight', 'units'], quantities))
            values['billed_quantity'] = toll.compute_billed_quantity(
                quantities)
            for name in names:
                result[name][toll.id] = values[name]
        return result

    def compute_billed_quantity(self, quantities):
        """The quantity of service to invoice in its unit from the
        (input weight, output weight, units), or None if the service is not
        sold in a unit that counts the basis."""
        Uom = Pool().get('product.uom')
        quantity = toll_billing.billed_quantity(self.basis, *quantities)
        if quantity is None or not self.service_counts_basis():
            return None
        return Uom.compute_qty(
            self.basis_unit(), quantity, self.service.default_uom)

    def basis_unit(self):
        "The unit that the basis counts in: the kilogram or the unit."
        pool = Pool()
        Uom = pool.get('product.uom')
        ModelData = pool.get('ir.model.data')
        if toll_billing.basis_kind(self.basis) == 'weight':
            return Uom(ModelData.get_id('product', 'uom_kilogram'))
        return Uom(ModelData.get_id('product', 'uom_unit'))

    def service_counts_basis(self):
        "Whether the unit of the service counts what the basis counts."
        return bool(self.service and self.basis
            and self.service.default_uom.category
            == self.basis_unit().category)

    def get_customer_invoice(self, name):
        invoices = [l.invoice for l in self.invoice_lines
            if l.invoice and l.invoice.state != 'cancelled']
        return invoices[0].id if invoices else None

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, tolls):
        Move = Pool().get('stock.move')
        Move.cancel([m for t in tolls for m in t.receptions
                if m.state == 'draft'])

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, tolls):
        "Back to draft: the produce to receive again, as it was entered."
        Move = Pool().get('stock.move')
        cancelled = [m for t in tolls for m in t.receptions
            if m.state == 'cancelled']
        Move.copy(cancelled, default={
                'state': 'draft',
                'effective_date': None,
                })
        Move.delete(cancelled)

    @classmethod
    @ModelView.button
    @Workflow.transition('received')
    def receive(cls, tolls):
        "Put the farm's produce into its location, each with the farm's lot."
        Move = Pool().get('stock.move')
        moves = []
        for toll in tolls:
            receptions = [m for m in toll.receptions
                if m.state not in {'cancelled', 'done'}]
            if not receptions:
                raise TollError(gettext(
                        'cocagne_transformation.msg_toll_no_reception',
                        toll=toll.rec_name))
            for move in receptions:
                if not move.lot:
                    raise TollError(gettext(
                            'cocagne_transformation.msg_toll_reception_no_lot',
                            toll=toll.rec_name,
                            product=move.product.rec_name))
                move.to_location = toll.location
                if not move.effective_date:
                    move.effective_date = toll.reception_date
                moves.append(move)
        Move.save(moves)
        Move.do(moves)

    @classmethod
    @ModelView.button
    def create_batch(cls, tolls):
        """Make a batch of the recipe from the produce that no batch uses
        yet, with the farm's lots."""
        Production = Pool().get('production')
        Production.save([t.get_batch() for t in tolls
                if t.state == 'received'])

    def get_batch(self):
        """A draft batch of the recipe with what is left of the farm's
        produce that the recipe uses, scaled to its ingredients."""
        pool = Pool()
        Production = pool.get('production')
        Uom = pool.get('product.uom')
        Date = pool.get('ir.date')
        batches = [p for p in self.productions if p.state != 'cancelled']
        left = self.left({p.state for p in batches})
        recipe = self.recipe
        # what the farm brought for the recipe; the rest goes back to it
        brought = {p for p, _ in left} & {i.product for i in recipe.inputs}
        if not left or (not brought and batches):
            raise TollError(gettext(
                    'cocagne_transformation.msg_toll_nothing_left',
                    toll=self.rec_name))
        ingredients = {i.product for i in recipe.inputs if not i.packaging}
        # in the unit of each product: kilograms for produce sold by weight
        factor = toll_billing.batch_scale(
            sum(q for (p, _), q in left.items() if p in ingredients),
            sum(Uom.compute_qty(i.unit, i.quantity, i.product.default_uom,
                    round=False)
                for i in recipe.inputs if i.product in brought & ingredients))
        if factor is None:
            raise TollError(gettext(
                    'cocagne_transformation.msg_toll_recipe_mismatch',
                    toll=self.rec_name, recipe=recipe.rec_name))
        output = recipe.outputs[0]
        production = Production(
            company=self.company, warehouse=recipe.site,
            location=recipe.site.production_location,
            product=output.product, bom=recipe, unit=output.unit,
            quantity=output.unit.round(output.quantity * factor),
            labour_minutes=recipe.labour_minutes,
            planned_date=max(Date.today(), self.reception_date),
            origin=self)
        production.set_planned_start_date()
        production.explode_bom()
        inputs = [m for m in production.inputs if m.product not in brought]
        for (product, lot), quantity in left.items():
            if product not in brought:
                continue
            move = production._move(
                'input', product, product.default_uom,
                product.default_uom.round(quantity))
            move.lot = lot
            inputs.append(move)
        production.inputs = inputs
        return production

    @classmethod
    @ModelView.button
    @Workflow.transition('processed')
    def process(cls, tolls):
        "Close the processing once every batch is done."
        for toll in tolls:
            batches = [p for p in toll.productions if p.state != 'cancelled']
            for batch in batches:
                if batch.state != 'done':
                    raise TollError(gettext(
                            'cocagne_transformation.msg_toll_batch_pending',
                            toll=toll.rec_name, batch=batch.rec_name))
            if not batches:
                raise TollError(gettext(
                        'cocagne_transformation.msg_toll_no_batch',
                        toll=toll.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('returned')
    def return_(cls, tolls):
        """Give the farm back what was made of its produce and the produce
        that no batch used, with their lots."""
        pool = Pool()
        Move = pool.get('stock.move')
        Date = pool.get('ir.date')
        moves = []
        for toll in tolls:
            if not toll.return_date:
                toll.return_date = max(Date.today(), toll.reception_date)
            moves.extend(toll.get_return_moves())
        cls.save(tolls)
        Move.save(moves)
        Move.do(moves)

    def get_return_moves(self):
        "The moves of the lots of the farm's location back to the farm."
        Move = Pool().get('stock.move')
        made = [((m.product, m.lot), m.internal_quantity)
            for p in self.productions if p.state == 'done'
            for m in p.outputs
            if m.state == 'done' and m.to_location == self.location]
        items = toll_billing.remaining(
            made + list(self.left({'done'}).items()), [])
        customer = self.farm.get_multivalue(
            'customer_location', company=self.company.id)
        return [Move(
                product=product, unit=product.default_uom,
                quantity=product.default_uom.round(quantity), lot=lot,
                from_location=self.location, to_location=customer,
                company=self.company, origin=self,
                planned_date=self.return_date,
                effective_date=self.return_date)
            for (product, lot), quantity in items.items()]

    @classmethod
    @ModelView.button
    def invoice(cls, tolls):
        "Invoice the service to each farm, once and once only."
        for toll in tolls:
            if toll.state == 'invoiced' or toll.customer_invoice:
                raise TollError(gettext(
                        'cocagne_transformation.msg_toll_invoiced',
                        toll=toll.rec_name))
            if toll.state != 'returned':
                raise TollError(gettext(
                        'cocagne_transformation.msg_toll_invoice_not_returned',
                        toll=toll.rec_name))
        cls._invoice(tolls)

    @classmethod
    @Workflow.transition('invoiced')
    def _invoice(cls, tolls):
        Invoice = Pool().get('account.invoice')
        invoices = [t.get_invoice() for t in tolls]
        Invoice.save(invoices)
        Invoice.update_taxes(invoices)

    def get_invoice(self):
        "A draft customer invoice of the service for the farm."
        pool = Pool()
        Invoice = pool.get('account.invoice')
        line = self.get_invoice_line()
        address = self.farm.address_get(type='invoice')
        if not address:
            raise TollError(gettext(
                    'cocagne_transformation.msg_toll_farm_no_address',
                    toll=self.rec_name, farm=self.farm.rec_name))
        invoice = Invoice(
            company=self.company, type='out', party=self.farm,
            invoice_address=address, currency=self.company.currency,
            account=self.farm.account_receivable_used,
            payment_term=self.farm.customer_payment_term,
            description=self.rec_name)
        invoice.set_journal()
        invoice.lines = [line]
        return invoice

    def get_invoice_line(self):
        "The invoice line of the service, at its sale price for the farm."
        pool = Pool()
        Line = pool.get('account.invoice.line')
        Product = pool.get('product.product')
        service = self.service
        unit = service.default_uom
        if not self.service_counts_basis():
            raise TollError(gettext(
                    'cocagne_transformation.msg_toll_service_unit',
                    toll=self.rec_name, service=service.rec_name,
                    unit=unit.rec_name, basis=self.basis_string))
        quantity = self.billed_quantity
        if quantity is None:
            raise TollError(gettext(
                    'cocagne_transformation.msg_toll_no_quantity',
                    toll=self.rec_name, basis=self.basis_string))
        with Transaction().set_context(
                customer=self.farm.id, currency=self.company.currency.id,
                company=self.company.id, uom=unit.id,
                sale_date=self.return_date):
            price = Product.get_sale_price([service], quantity)[service.id]
        if not price:
            raise TollError(gettext(
                    'cocagne_transformation.msg_toll_no_price',
                    toll=self.rec_name, service=service.rec_name,
                    unit=unit.rec_name))
        line = Line(
            invoice_type='out', type='line', company=self.company,
            party=self.farm, currency=self.company.currency,
            product=service, quantity=quantity, unit=unit, origin=self,
            description=f'{service.rec_name} – {self.rec_name}')
        line.on_change_product()
        line.unit = unit
        line.unit_price = round_price(price)
        return line


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'
    toll_farm = fields.Many2One(
        'party.party', "Toll Processing Farm", readonly=True,
        states={
            'invisible': ~Eval('toll_farm'),
            },
        help="The partner farm that owns the stock of this location: the "
        "produce that the garden processes for it, and what is made of it.")

    @classmethod
    def toll_location(cls, site, farm):
        """The storage location of farm at site, created on first use.

        It hangs from the site beside its storage zone, so the garden's
        sales and shipments, which pick in the storage zone, never take
        from it; and it has no consignment party, so stock_consignment
        invoices nothing when a batch consumes the farm's produce."""
        with without_check_access():
            locations = cls.search([
                    ('parent', '=', site.id),
                    ('toll_farm', '=', farm.id),
                    ('type', '=', 'storage'),
                    ], limit=1)
            if locations:
                return locations[0]
            location, = cls.create([{
                        'name': gettext(
                            'cocagne_transformation.msg_toll_location',
                            farm=farm.rec_name),
                        'type': 'storage',
                        'parent': site.id,
                        'company': site.company.id if site.company else None,
                        'toll_farm': farm.id,
                        }])
        return location


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [TOLL]

    @property
    def toll_farm_move(self):
        """Whether the move brings a farm's produce into its location or
        takes it back to the farm: goods that are not the garden's."""
        return bool(
            (self.from_location and self.to_location)
            and ((self.from_location.type == 'supplier'
                    and self.to_location.toll_farm)
                or (self.from_location.toll_farm
                    and self.to_location.type == 'customer')))

    @fields.depends('from_location', 'to_location')
    def on_change_with_unit_price_required(self, name=None):
        # the farm's goods are neither bought nor sold by the garden
        required = super().on_change_with_unit_price_required(name)
        return required and not self.toll_farm_move

    def _do(self):
        # leave the garden's cost prices alone
        if self.toll_farm_move:
            return None, []
        return super()._do()


class Production(metaclass=PoolMeta):
    __name__ = 'production'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() | {TOLL}

    @property
    def toll(self):
        "The toll processing that the batch is made for, or None."
        Toll = Pool().get(TOLL)
        if isinstance(self.origin, Toll):
            return self.origin

    @fields.depends('origin')
    def _move(self, type, product, unit, quantity):
        move = super()._move(type, product, unit, quantity)
        toll = self.toll
        if toll and toll.location:
            # the farm's produce and what is made of it stay the farm's
            if type == 'output':
                move.to_location = toll.location
            elif product in toll.received_products:
                move.from_location = toll.location
        return move

    def farm_input_cost(self):
        "The cost of the inputs that the farm owns, not the garden."
        cost = Decimal(0)
        for move in self.inputs:
            if move.state != 'cancelled' and move.from_location.toll_farm:
                cost += (Decimal(str(move.internal_quantity))
                    * (move.get_cost_price() or 0))
        return cost

    def get_input_cost(self, name):
        return round_price(
            super().get_input_cost(name) - self.farm_input_cost())

    def get_cost(self, name):
        return round_price(super().get_cost(name) - self.farm_input_cost())

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, productions):
        cls.lot_toll_outputs(productions)
        super().do(productions)

    @classmethod
    def lot_toll_outputs(cls, productions):
        """Give a lot to every output of a toll batch, so the farm's lots
        can be traced to what is returned to it."""
        pool = Pool()
        Lot = pool.get('stock.lot')
        Move = pool.get('stock.move')
        lots, moves = [], []
        for production in productions:
            if not production.toll:
                continue
            for i, move in enumerate(production.outputs, 1):
                if move.lot or move.to_location.type == 'lost_found':
                    continue
                with Transaction().set_context(
                        date=production.production_date):
                    move.add_lot()
                if not move.lot:
                    move.lot = Lot(
                        number=f'{production.number}-{i}',
                        product=move.product)
                lots.append(move.lot)
                moves.append(move)
        Lot.save(lots)
        Move.save(moves)


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [TOLL]


class Recall(metaclass=PoolMeta):
    __name__ = 'cocagne.transformation.recall'

    @classmethod
    def delivery_sources(cls):
        return super().delivery_sources() + ['deliveries_from_tolls']

    @classmethod
    def deliveries_from_tolls(cls, moves):
        """The returns of toll processing: the farm received back what was
        made of its produce."""
        Toll = Pool().get(TOLL)
        rows = {}
        for move in moves:
            if isinstance(move.origin, Toll):
                rows[move] = {
                    'customer': move.origin.farm.id,
                    'document': move.origin.rec_name,
                    }
        return rows

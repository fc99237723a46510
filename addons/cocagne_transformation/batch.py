"""Batches: productions of a recipe, with their weights, yield, lots dated
from the production date, and their cost including labour."""
from decimal import Decimal

from sql import Null

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import processing
from .exceptions import BatchError, OrganicClaimError
from .recipe import NET_UNIT_KG, kilograms

WEIGHT_DIGITS = (16, 3)
YIELD_DIGITS = (3, 3)


def _round(value, digits):
    """value rounded to the digits that its field shows: the web client
    writes back what it shows, which would modify a record just opened."""
    return round(value, digits[1]) if value is not None else None


class Production(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'production'
    planned_input_weight = fields.Function(
        fields.Float("Planned Input Weight (kg)", digits=WEIGHT_DIGITS,
            help="The weight of the ingredients that the recipe plans."),
        'get_planned_weights')
    planned_output_weight = fields.Function(
        fields.Float("Planned Output Weight (kg)", digits=WEIGHT_DIGITS,
            help="The weight that the recipe's yield promises."),
        'get_planned_weights')
    input_weight = fields.Float(
        "Input Weight (kg)", digits=WEIGHT_DIGITS, readonly=True,
        help="The weight of the ingredients used, packaging excluded.")
    output_weight = fields.Float(
        "Output Weight (kg)", digits=WEIGHT_DIGITS, readonly=True,
        help="The weight of the food made.")
    actual_yield = fields.Float(
        "Actual Yield", digits=YIELD_DIGITS, readonly=True,
        help="The output weight for 1 kg of ingredients.")
    expected_yield = fields.Function(
        fields.Float("Expected Yield", digits=YIELD_DIGITS), 'get_yield_gap')
    yield_gap = fields.Function(
        fields.Float("Yield Gap", digits=YIELD_DIGITS,
            help="The actual yield minus the recipe's."),
        'get_yield_gap')
    labour_minutes = fields.Integer(
        "Labour Minutes",
        domain=['OR', ('labour_minutes', '=', None),
            ('labour_minutes', '>=', 0)],
        states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            },
        help="The working time that the batch took.")
    labour_cost = fields.Function(
        fields.Numeric("Labour Cost", digits=price_digits,
            help="The labour minutes at the hourly cost of the site."),
        'get_labour_cost')
    input_cost = fields.Function(
        fields.Numeric("Ingredients and Packaging Cost",
            digits=price_digits),
        'get_input_cost')
    unit_cost = fields.Function(
        fields.Numeric("Unit Cost", digits=price_digits,
            help="The cost of the batch, labour included, per unit made."),
        'get_unit_cost')

    @fields.depends('bom', 'labour_minutes', 'product', 'quantity', 'unit')
    def on_change_bom(self):
        super().on_change_bom()
        if self.bom and self.bom.labour_minutes is not None:
            self.labour_minutes = self.bom.labour_minutes

    @property
    def production_date(self):
        "The date the batch was made."
        return (self.effective_date or self.effective_start_date
            or self.planned_date or self.planned_start_date
            or Pool().get('ir.date').today())

    def bom_factor(self):
        if self.bom and self.product and self.unit:
            return self.bom.compute_factor(
                self.product, self.quantity or 0, self.unit)

    @classmethod
    def get_planned_weights(cls, productions, names):
        result = {n: {} for n in names}
        for production in productions:
            factor = production.bom_factor()
            inputs = outputs = None
            if factor is not None:
                weights = [kilograms(i.quantity * factor, i.unit)
                    for i in production.bom.inputs if not i.packaging]
                inputs = sum(w for w in weights if w) or None
                output = production.bom.output_weight
                outputs = output * factor if output else None
            if 'planned_input_weight' in names:
                result['planned_input_weight'][production.id] = _round(
                    inputs, WEIGHT_DIGITS)
            if 'planned_output_weight' in names:
                result['planned_output_weight'][production.id] = _round(
                    outputs, WEIGHT_DIGITS)
        return result

    def get_yield_gap(self, name):
        expected = self.bom.expected_yield if self.bom else None
        if name == 'expected_yield':
            return expected
        return _round(processing.yield_gap(self.actual_yield, expected),
            YIELD_DIGITS)

    def get_labour_cost(self, name):
        rate = self.warehouse.labour_hourly_cost if self.warehouse else None
        return round_price(processing.labour_cost(self.labour_minutes, rate))

    def get_input_cost(self, name):
        return super().get_cost(name)

    def get_cost(self, name):
        # Tryton's production cost counts the inputs only
        return round_price(super().get_cost(name) + self.get_labour_cost(name))

    def get_unit_cost(self, name):
        if self.quantity:
            return round_price(self.cost / Decimal(str(self.quantity)))

    def packaging_products(self):
        "The products that the recipe uses as packaging."
        if not self.bom:
            return set()
        return {i.product for i in self.bom.inputs if i.packaging}

    def move_weight(self, move):
        "The weight of move in kg, or None."
        kg = kilograms(move.quantity, move.unit)
        if kg is None and self.bom and self.bom.net_quantity:
            kg = (move.quantity * self.bom.net_quantity
                * NET_UNIT_KG[self.bom.net_quantity_unit])
        return kg

    def compute_weights(self):
        "(input weight, output weight) of the moves, in kg."
        packaging = self.packaging_products()
        inputs = [self.move_weight(m) for m in self.inputs
            if m.state != 'cancelled' and m.product not in packaging]
        outputs = [self.move_weight(m) for m in self.outputs
            if m.state != 'cancelled'
            and m.to_location.type != 'lost_found']
        return tuple(round(w, WEIGHT_DIGITS[1]) if w else None
            for w in [sum(w for w in inputs if w),
                sum(w for w in outputs if w)])

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, productions):
        pool = Pool()
        Configuration = pool.get('cocagne.configuration')
        Move = pool.get('stock.move')
        to_write = []
        moves = []
        for production in productions:
            date = production.production_date
            production.check_organic_claims(date)
            input_weight, output_weight = production.compute_weights()
            tolerance = Configuration.garden_value(
                'output_weight_tolerance', production.company)
            if input_weight and output_weight and processing.too_heavy(
                    output_weight, input_weight, tolerance):
                raise BatchError(gettext(
                        'cocagne_transformation.msg_batch_output_too_heavy',
                        batch=production.rec_name,
                        output=round(output_weight, 3),
                        input=round(input_weight, 3),
                        tolerance=round(tolerance * 100, 1)))
            for move in production.inputs + production.outputs:
                if not move.effective_date:
                    move.effective_date = date
                    moves.append(move)
            to_write.extend([[production], {
                        'input_weight': _round(input_weight, WEIGHT_DIGITS),
                        'output_weight': _round(output_weight, WEIGHT_DIGITS),
                        'actual_yield': processing.yield_ratio(
                            output_weight, input_weight, 3),
                        }])
        Move.save(moves)
        cls.date_lots(productions)
        if to_write:
            cls.write(*to_write)
        super().do(productions)

    def check_organic_claims(self, date):
        """Refuse an organic ingredient of a partner whose certificate is
        not valid on the batch date (cocagne_base's rule)."""
        lang = Pool().get('ir.lang').get()
        for move in self.inputs:
            template = move.product.template
            if (template.organic and template.origin == 'partner'
                    and template.producer
                    and not template.producer.organic_certified_on(date)):
                raise OrganicClaimError(gettext(
                        'cocagne_transformation.msg_batch_organic_uncertified',
                        batch=self.rec_name,
                        product=template.rec_name,
                        producer=template.producer.rec_name,
                        date=lang.strftime(date)))

    @classmethod
    def date_lots(cls, productions):
        """Give each output of a recipe a lot dated from the production
        date and the recipe's shelf life: a use-by date (DLC) as the shelf
        life expiration date, which blocks deliveries once past; a
        best-before date (DDM) as the expiration date, which never does."""
        pool = Pool()
        Lot = pool.get('stock.lot')
        Move = pool.get('stock.move')
        lots, moves = [], []
        for production in productions:
            bom = production.bom
            if not bom or bom.shelf_life is None:
                continue
            date = production.production_date
            expiry = processing.expiry_date(date, bom.shelf_life)
            for i, move in enumerate(production.outputs, 1):
                if move.to_location.type == 'lost_found':
                    continue
                if not move.lot:
                    with Transaction().set_context(date=date):
                        move.add_lot()
                    if not move.lot:
                        move.lot = Lot(
                            number=f'{production.number}-{i}',
                            product=move.product)
                    moves.append(move)
                lot = move.lot
                if bom.date_kind == 'dlc':
                    lot.shelf_life_expiration_date = expiry
                    lot.expiration_date = None
                else:
                    lot.expiration_date = expiry
                    lot.shelf_life_expiration_date = None
                lot.production_date = date
                lots.append(lot)
        Lot.save(lots)
        Move.save(moves)


class YieldHistory(ModelSQL, ModelView):
    "The actual yields of the batches of a recipe, for its graph"
    __name__ = 'cocagne.transformation.yield'
    __string__ = "Batch Yield"
    company = fields.Many2One('company.company', "Garden")
    recipe = fields.Many2One('production.bom', "Recipe")
    date = fields.Date("Date")
    actual_yield = fields.Float("Actual Yield", digits=YIELD_DIGITS)
    expected_yield = fields.Float("Expected Yield", digits=YIELD_DIGITS)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'ASC'))

    @classmethod
    def table_query(cls):
        pool = Pool()
        Production = pool.get('production')
        Bom = pool.get('production.bom')
        production = Production.__table__()
        bom = Bom.__table__()
        return production.join(bom,
            condition=production.bom == bom.id).select(
            production.id.as_('id'),
            production.company.as_('company'),
            production.bom.as_('recipe'),
            production.effective_date.as_('date'),
            production.actual_yield.as_('actual_yield'),
            bom.expected_yield.as_('expected_yield'),
            where=(production.state == 'done')
            & (production.actual_yield != Null))


class Lot(metaclass=PoolMeta):
    __name__ = 'stock.lot'
    production_date = fields.Date(
        "Production Date",
        help="The day the lot was made or harvested.")


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'
    labour_hourly_cost = fields.Numeric(
        "Labour Hourly Cost", digits=(16, 2),
        domain=['OR', ('labour_hourly_cost', '=', None),
            ('labour_hourly_cost', '>=', 0)],
        states={
            'invisible': Eval('type') != 'warehouse',
            },
        help="The cost of one hour of work on this site, "
        "charged to its batches.")

    @classmethod
    def preprocess_values(cls, mode, values):
        """Give a new site the workshop that Tryton's production requires
        of every warehouse."""
        values = super().preprocess_values(mode, values)
        if (mode == 'create' and values.get('type') == 'warehouse'
                and not values.get('production_location')):
            code = values.get('code')
            workshop, = cls.create([{
                        'name': gettext(
                            'cocagne_transformation.msg_site_workshop'),
                        'code': f'{code}-PROD' if code else None,
                        'type': 'production',
                        }])
            values['production_location'] = workshop.id
        return values

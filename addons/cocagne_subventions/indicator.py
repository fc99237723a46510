# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Indicators of a grant: entered, or computed from the garden's data over
the grant's period.

Extension point: a module that knows how to count an indicator adds its
kind to `Indicator.kind`'s selection in `__setup__` and a classmethod
`compute_<kind>(grants)` returning {grant id: value}. It registers that
extension under `[register cocagne_subventions]` of its tryton.cfg, with
cocagne_subventions in its extras_depend (see README.rst)."""
from decimal import Decimal

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

KINDS = [
    ('entered', "Entered"),
    ('insertion_hours', "Insertion hours"),
    ('partner_farms', "Active partner farms"),
    ('drop_points', "Active drop points"),
    ]


class Indicator(ModelSQL, ModelView):
    __name__ = 'cocagne.grant.indicator'
    __string__ = "Grant Indicator"
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    kind = fields.Selection(KINDS, "Computed From", required=True,
        help="Where the actual value comes from: entered by hand or "
        "counted over the grant's period.")
    unit = fields.Char("Unit")
    target = fields.Numeric("Target", digits=(16, 2))
    entered = fields.Numeric("Entered Value", digits=(16, 2),
        states={
            'invisible': Eval('kind') != 'entered',
            })
    actual = fields.Function(
        fields.Numeric("Actual", digits=(16, 2)), 'get_actual')
    progress = fields.Function(
        fields.Float("Progress", digits=(16, 4),
            help="The actual value over the target."), 'get_actual')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('grant')
        cls._order = [('grant', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'entered'

    @fields.depends('kind', 'name', 'unit')
    def on_change_kind(self):
        if self.kind and self.kind != 'entered':
            labels = dict(self.fields_get(['kind'])['kind']['selection'])
            if not self.name:
                self.name = labels[self.kind]

    @classmethod
    def get_actual(cls, indicators, names):
        values = {}
        by_kind = {}
        for indicator in indicators:
            by_kind.setdefault(indicator.kind, set()).add(indicator.grant)
        computed = {}
        for kind, grants in by_kind.items():
            if kind != 'entered':
                computed[kind] = getattr(cls, f'compute_{kind}')(
                    list(grants))
        for indicator in indicators:
            if indicator.kind == 'entered':
                value = indicator.entered
            else:
                value = computed[indicator.kind].get(indicator.grant.id)
            values[indicator.id] = (Decimal(str(value)).quantize(
                    Decimal('0.01')) if value is not None else None)
        result = {}
        if 'actual' in names:
            result['actual'] = values
        if 'progress' in names:
            result['progress'] = {i.id: float(values[i.id] / i.target)
                if i.target and values[i.id] is not None else None
                for i in indicators}
        return result

    @classmethod
    def compute_insertion_hours(cls, grants):
        "Hours worked under insertion contracts over each grant's period."
        Hours = Pool().get('cocagne.workforce.hours')
        result = {}
        for grant in grants:
            with Transaction().set_context(
                    from_date=grant.start_date, to_date=grant.end_date,
                    contract_kind='insertion'):
                rows = Hours.search([('company', '=', grant.company.id)])
            result[grant.id] = sum(r.hours or 0 for r in rows)
        return result

    @classmethod
    def compute_partner_farms(cls, grants):
        "The garden's active partner farms."
        Company = Pool().get('company.company')
        counts = Company.get_producer_count(
            list({g.company for g in grants}), 'producer_count')
        return {g.id: counts.get(g.company.id, 0) for g in grants}

    @classmethod
    def compute_drop_points(cls, grants):
        "The garden's active drop points."
        Place = Pool().get('cocagne.place')
        return {g.id: Place.search([
                    ('company', '=', g.company.id),
                    ('kind', '=', 'drop_point'),
                    ], count=True)
            for g in grants}

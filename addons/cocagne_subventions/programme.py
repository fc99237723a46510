# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Funding programmes: the rules shared by the grants they award."""
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields

FUNDER_TYPES = [
    ('state', "State"),
    ('region', "Region"),
    ('department', "Department"),
    ('municipality', "Municipality or intercommunality"),
    ('eu', "European Union"),
    ('social', "Social organisation"),
    ('foundation', "Foundation or private aid"),
    ('own', "Own funds"),
    ]
CATEGORIES = [
    ('personnel', "Personnel"),
    ('insertion_wages', "Insertion wages"),
    ('supervision', "Supervision"),
    ('services', "Services"),
    ('supplies', "Supplies"),
    ('investment', "Investment"),
    ('travel', "Travel"),
    ('overheads', "Flat-rate overheads"),
    ]


class Programme(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'cocagne.grant.programme'
    __string__ = "Funding Programme"
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char(
        "Code", required=True, strip=True,
        help="A short name, as PAT, PNA, LEADER or Région.")
    funder_type = fields.Selection(FUNDER_TYPES, "Funder Type", required=True)
    max_rate = fields.Numeric(
        "Maximum Aid Rate", digits=(16, 4),
        domain=['OR',
            ('max_rate', '=', None),
            [('max_rate', '>', 0), ('max_rate', '<=', 1)],
            ],
        help="The highest share of the eligible base that may be awarded.")
    claimable_share = fields.Numeric(
        "Claimable before Balance", digits=(16, 4),
        domain=['OR',
            ('claimable_share', '=', None),
            [('claimable_share', '>=', 0), ('claimable_share', '<=', 1)],
            ],
        help="The share of the award that advances and interim payments "
        "may reach before the balance (80 % for LEADER).")
    categories = fields.MultiSelection(
        CATEGORIES, "Eligible Expense Categories",
        help="Leave empty when every category is eligible.")
    rules = fields.Text("Rules", translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('code', 'ASC'))

    def get_rec_name(self, name):
        return f'{self.code} - {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

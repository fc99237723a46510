"""Insertion workforce: employment contracts of the garden's staff."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .period import overlaps

CONTRACT_KINDS = [
    ('insertion', "Insertion (CDDI)"),
    ('supervisor', "Technical supervisor"),
    ('permanent', "Permanent staff"),
    ]


class Contract(ModelSQL, ModelView):
    __name__ = 'cocagne.employee.contract'
    company = fields.Many2One('company.company', "Garden", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection(CONTRACT_KINDS, "Kind", required=True)
    kind_string = kind.translated('kind')
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date",
        help="Leave empty for a contract of indefinite duration.")
    weekly_hours = fields.Float(
        "Weekly Hours", digits=(4, 2), required=True,
        help="The working time of the contract per week.")
    comment = fields.Text("Comment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'insertion'

    @classmethod
    def default_weekly_hours(cls):
        return 26.0

    @fields.depends('employee', '_parent_employee.company')
    def on_change_employee(self):
        if self.employee:
            self.company = self.employee.company

    def get_rec_name(self, name):
        return f'{self.employee.rec_name} - {self.kind_string}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, contracts, field_names):
        super().validate_fields(contracts, field_names)
        if field_names & {'start_date', 'end_date', 'weekly_hours'}:
            for contract in contracts:
                if (contract.end_date
                        and contract.end_date < contract.start_date):
                    raise ValidationError(gettext(
                            'cocagne_base.msg_contract_dates',
                            contract=contract.rec_name))
                if not 0 < contract.weekly_hours <= 48:
                    raise ValidationError(gettext(
                            'cocagne_base.msg_contract_weekly_hours',
                            contract=contract.rec_name,
                            hours=contract.weekly_hours))
        if field_names & {'employee', 'start_date', 'end_date'}:
            cls.check_overlap(contracts)

    @classmethod
    def check_overlap(cls, contracts):
        lang = Pool().get('ir.lang').get()
        others = cls.search([
                ('employee', 'in', [c.employee.id for c in contracts]),
                ])
        for contract in contracts:
            for other in others:
                if (other.id != contract.id
                        and other.employee == contract.employee
                        and overlaps(contract.start_date, contract.end_date,
                            other.start_date, other.end_date)):
                    raise ValidationError(gettext(
                            'cocagne_base.msg_contract_overlap',
                            contract=contract.rec_name,
                            other_start=lang.strftime(other.start_date)))


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'
    contracts = fields.One2Many(
        'cocagne.employee.contract', 'employee', "Contracts")
    contract_kind = fields.Function(
        fields.Selection([(None, "")] + CONTRACT_KINDS, "Contract"),
        'get_contract_kind', searcher='search_contract_kind')

    def get_contract_kind(self, name):
        today = Pool().get('ir.date').today()
        for contract in self.contracts:
            if overlaps(contract.start_date, contract.end_date, today, today):
                return contract.kind

    @classmethod
    def search_contract_kind(cls, name, clause):
        today = Pool().get('ir.date').today()
        return [('contracts', 'where', [
                    ('kind',) + tuple(clause[1:]),
                    ('start_date', '<=', today),
                    ['OR',
                        ('end_date', '=', None),
                        ('end_date', '>=', today),
                        ],
                    ])]

"""Insertion workforce: employment contracts of the garden's staff."""
from sql import Null

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import ContractError, EmployeeError
from .period import overlaps

CONTRACT_KINDS = [
    ('insertion', "Insertion (CDDI)"),
    ('supervisor', "Technical supervisor"),
    ('permanent', "Permanent staff"),
    ]


class Contract(ModelSQL, ModelView):
    __name__ = 'cocagne.employee.contract'
    __string__ = "Employment Contract"
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
        Configuration = Pool().get('cocagne.configuration')
        return Configuration.garden_value(
            'insertion_weekly_hours', cls.default_company())

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
        Configuration = Pool().get('cocagne.configuration')
        if field_names & {'start_date', 'end_date', 'weekly_hours'}:
            for contract in contracts:
                if (contract.end_date
                        and contract.end_date < contract.start_date):
                    raise ContractError(gettext(
                            'cocagne_base.msg_contract_dates',
                            contract=contract.rec_name))
                maximum = Configuration.garden_value(
                    'contract_max_weekly_hours', contract.company)
                if not 0 < contract.weekly_hours <= maximum:
                    raise ContractError(gettext(
                            'cocagne_base.msg_contract_weekly_hours',
                            contract=contract.rec_name,
                            hours=contract.weekly_hours,
                            maximum=maximum))
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
                    raise ContractError(gettext(
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

    @classmethod
    def validate_fields(cls, employees, field_names):
        super().validate_fields(employees, field_names)
        if field_names & {'party', 'company'}:
            cls.check_party_garden(employees)

    @classmethod
    def check_party_garden(cls, employees):
        """Refuse an employee whose party, personal data, belongs to
        another garden."""
        for employee in employees:
            party = employee.party
            if party.company and party.company != employee.company:
                raise EmployeeError(gettext(
                        'cocagne_base.msg_employee_party_other_garden',
                        employee=employee.rec_name,
                        garden=employee.company.rec_name,
                        party_garden=party.company.rec_name))

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        """Take the party of a new employee, when shared with the network,
        into the employee's garden, so that no other garden reads it."""
        pool = Pool()
        Party = pool.get('party.party')
        super().on_modification(mode, employees, field_names=field_names)
        if mode == 'delete' or (
                field_names is not None
                and not field_names & {'party', 'company'}):
            return
        shared = {}
        for employee in employees:
            if not employee.party.company:
                shared.setdefault(employee.company, []).append(
                    employee.party)
        with without_check_access():
            for company, parties in shared.items():
                Party.write(parties, {'company': company.id})

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


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    insertion_employee_count = fields.Function(
        fields.Integer("Insertion Employees",
            help="Employees under an insertion contract today."),
        'get_insertion_employee_count')

    @classmethod
    def get_insertion_employee_count(cls, companies, name):
        pool = Pool()
        contract = pool.get('cocagne.employee.contract').__table__()
        today = pool.get('ir.date').today()
        return cls.count_by_company(companies, contract,
            (contract.kind == 'insertion')
            & (contract.start_date <= today)
            & ((contract.end_date == Null) | (contract.end_date >= today)),
            column=contract.employee)

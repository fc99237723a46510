"""Time sheets by activity and the report of insertion hours."""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.functions import Extract

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .employee import CONTRACT_KINDS

ACTIVITIES = [
    (None, ""),
    ('market_gardening', "Market gardening"),
    ('processing', "Processing"),
    ('logistics', "Logistics"),
    ('sales', "Sales"),
    ('delivery', "Delivery"),
    ]


class Work(metaclass=PoolMeta):
    __name__ = 'timesheet.work'
    activity = fields.Selection(
        ACTIVITIES, "Activity",
        help="The activity under which the hours are reported.")


class WorkforceHours(ModelSQL, ModelView):
    "Hours worked per month, activity and kind of contract"
    __name__ = 'cocagne.workforce.hours'
    company = fields.Many2One('company.company', "Garden")
    year = fields.Integer("Year")
    month = fields.Integer("Month")
    period = fields.Function(fields.Char("Period"), 'get_period')
    activity = fields.Selection(ACTIVITIES, "Activity")
    contract_kind = fields.Selection(
        [(None, "")] + CONTRACT_KINDS, "Contract")
    employees = fields.Integer("Employees")
    duration = fields.TimeDelta("Duration", 'company_work_time')
    hours = fields.Function(
        fields.Float("Hours", digits=(16, 2)), 'get_hours')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'), ('month', 'DESC'),
            ('activity', 'ASC'), ('contract_kind', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Line = pool.get('timesheet.line')
        Work = pool.get('timesheet.work')
        Contract = pool.get('cocagne.employee.contract')
        line = Line.__table__()
        work = Work.__table__()
        contract = Contract.__table__()
        context = Transaction().context

        where = Literal(True)
        if context.get('from_date'):
            where &= line.date >= context['from_date']
        if context.get('to_date'):
            where &= line.date <= context['to_date']
        integer = cls.year.sql_type().base
        year = Cast(Extract('YEAR', line.date), integer)
        month = Cast(Extract('MONTH', line.date), integer)
        keys = [line.company, year, month, work.activity, contract.kind]
        return (line
            .join(work, condition=line.work == work.id)
            .join(contract, 'LEFT',
                condition=(contract.employee == line.employee)
                & (contract.start_date <= line.date)
                & ((contract.end_date == Null)
                    | (contract.end_date >= line.date)))
            .select(
                Min(line.id).as_('id'),
                line.company.as_('company'),
                year.as_('year'),
                month.as_('month'),
                work.activity.as_('activity'),
                contract.kind.as_('contract_kind'),
                Count(line.employee, distinct=True).as_('employees'),
                Sum(line.duration).as_('duration'),
                where=where,
                group_by=keys))

    def get_period(self, name):
        return f'{self.month:02d}/{self.year}'

    def get_hours(self, name):
        if self.duration is not None:
            return self.duration.total_seconds() / 3600


class WorkforceHoursContext(ModelView):
    "Period of the insertion hours"
    __name__ = 'cocagne.workforce.hours.context'
    from_date = fields.Date("From Date")
    to_date = fields.Date("To Date")

    @classmethod
    def default_from_date(cls):
        today = Pool().get('ir.date').today()
        return today.replace(month=1, day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()

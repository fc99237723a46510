"""Time sheets by activity and the report of insertion hours."""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.functions import Extract

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .employee import CONTRACT_KINDS
from .garden import GardenOwnedMixin

ACTIVITIES = [
    (None, ""),
    ('market_gardening', "Market gardening"),
    ('processing', "Processing"),
    ('logistics', "Logistics"),
    ('sales', "Sales"),
    ('delivery', "Delivery"),
    ('catering', "Catering"),
    ]


class Work(metaclass=PoolMeta):
    __name__ = 'timesheet.work'
    activity = fields.Selection(
        ACTIVITIES, "Activity",
        help="The activity under which the hours are reported.")


def hours_where(line, contract):
    "The SQL condition of the period and kind of contract of the context."
    context = Transaction().context
    where = Literal(True)
    if context.get('from_date'):
        where &= line.date >= context['from_date']
    if context.get('to_date'):
        where &= line.date <= context['to_date']
    if context.get('contract_kind'):
        where &= contract.kind == context['contract_kind']
    return where


def hours_join(line, work, contract):
    "Time sheet lines with their work and the contract of the day."
    return (line
        .join(work, condition=line.work == work.id)
        .join(contract, 'LEFT',
            condition=(contract.employee == line.employee)
            & (contract.start_date <= line.date)
            & ((contract.end_date == Null)
                | (contract.end_date >= line.date))))


class MonthMixin:
    "A year and a month, shown as the month's name in the user's language."
    __slots__ = ()
    year = fields.Integer("Year")
    month = fields.Integer("Month")
    period = fields.Function(fields.Char("Month"), 'get_period')

    @classmethod
    def year_month(cls, line):
        "The SQL year and month of the time sheet lines."
        integer = cls.year.sql_type().base
        return (Cast(Extract('YEAR', line.date), integer),
            Cast(Extract('MONTH', line.date), integer))

    @classmethod
    def get_period(cls, records, name):
        names = Pool().get('ir.calendar.month').locale()
        return {r.id: f'{names[r.month]} {r.year}' for r in records}


class WorkforceHours(MonthMixin, ModelSQL, ModelView):
    __name__ = 'cocagne.workforce.hours'
    __string__ = "Hours per Month, Activity and Contract"
    company = fields.Many2One('company.company', "Garden")
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
            ('year', 'ASC'), ('month', 'ASC'),
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
        year, month = cls.year_month(line)
        keys = [line.company, year, month, work.activity, contract.kind]
        return (hours_join(line, work, contract)
            .select(
                Min(line.id).as_('id'),
                line.company.as_('company'),
                year.as_('year'),
                month.as_('month'),
                work.activity.as_('activity'),
                contract.kind.as_('contract_kind'),
                Count(line.employee, distinct=True).as_('employees'),
                Sum(line.duration).as_('duration'),
                where=hours_where(line, contract),
                group_by=keys))

    def get_hours(self, name):
        if self.duration is not None:
            return self.duration.total_seconds() / 3600


class WorkforceHoursMonth(GardenOwnedMixin, MonthMixin, ModelSQL, ModelView):
    "One row per garden and month, one column of hours per activity."
    __name__ = 'cocagne.workforce.hours.month'
    __string__ = "Hours per Month"
    company = fields.Many2One('company.company', "Garden")
    market_gardening = fields.Function(
        fields.Float("Market Gardening", digits=(16, 1)), 'get_hours')
    processing = fields.Function(
        fields.Float("Processing", digits=(16, 1)), 'get_hours')
    logistics = fields.Function(
        fields.Float("Logistics", digits=(16, 1)), 'get_hours')
    sales = fields.Function(
        fields.Float("Sales", digits=(16, 1)), 'get_hours')
    delivery = fields.Function(
        fields.Float("Delivery", digits=(16, 1)), 'get_hours')
    catering = fields.Function(
        fields.Float("Catering", digits=(16, 1)), 'get_hours')
    other = fields.Function(
        fields.Float("Other", digits=(16, 1),
            help="Hours of works without activity."), 'get_hours')
    total = fields.Function(
        fields.Float("Total", digits=(16, 1)), 'get_hours')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('year', 'ASC'), ('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        line = pool.get('timesheet.line').__table__()
        work = pool.get('timesheet.work').__table__()
        contract = pool.get('cocagne.employee.contract').__table__()
        year, month = cls.year_month(line)
        return (hours_join(line, work, contract)
            .select(
                Min(line.id).as_('id'),
                line.company.as_('company'),
                year.as_('year'),
                month.as_('month'),
                where=hours_where(line, contract),
                group_by=[line.company, year, month]))

    @classmethod
    def get_hours(cls, records, names):
        "Sum the rows of the hours by activity over each month, in one search."
        Hours = Pool().get('cocagne.workforce.hours')
        result = {n: dict.fromkeys((r.id for r in records), 0.0)
            for n in names}
        ids = {(r.company.id, r.year, r.month): r.id for r in records}
        rows = Hours.search([
                ('company', 'in', list({k[0] for k in ids})),
                ('year', 'in', list({k[1] for k in ids})),
                ('month', 'in', list({k[2] for k in ids})),
                ])
        for row in rows:
            id_ = ids.get((row.company.id, row.year, row.month))
            if id_ is None or not row.hours:
                continue
            for name in {row.activity or 'other', 'total'} & set(names):
                result[name][id_] += row.hours
        return result


class WorkforceHoursContext(ModelView):
    __name__ = 'cocagne.workforce.hours.context'
    __string__ = "Period of the Hours"
    from_date = fields.Date("From Date")
    to_date = fields.Date("To Date")
    contract_kind = fields.Selection(
        [(None, "All")] + CONTRACT_KINDS, "Contract",
        help="Count only the hours under this kind of contract.")

    @classmethod
    def default_from_date(cls):
        today = Pool().get('ir.date').today()
        return today.replace(month=1, day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    insertion_hours = fields.Function(
        fields.Float("Insertion Hours Since January 1st", digits=(16, 1),
            help="Hours worked since the first of January by employees "
            "under an insertion contract."),
        'get_insertion_hours')

    @classmethod
    def get_insertion_hours(cls, companies, name):
        pool = Pool()
        Hours = pool.get('cocagne.workforce.hours')
        today = pool.get('ir.date').today()
        hours = dict.fromkeys((c.id for c in companies), 0.0)
        with Transaction().set_context(
                from_date=today.replace(month=1, day=1), to_date=today):
            rows = Hours.search([
                    ('company', 'in', list(hours)),
                    ('contract_kind', '=', 'insertion'),
                    ])
        for row in rows:
            hours[row.company.id] += row.hours
        return hours

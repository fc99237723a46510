"""Test helpers shared by the test files of cocagne_base."""
import datetime as dt

from trytond.modules.company.tests import create_employee
from trytond.pool import Pool

HOUR = dt.timedelta(hours=1)


def create_staff(company, insertion_end=None):
    """Return an insertion employee and a supervisor of company, both under
    contract since 1 January 2026; the insertion contract ends on
    insertion_end (None: no end)."""
    pool = Pool()
    Contract = pool.get('cocagne.employee.contract')
    Employee = pool.get('company.employee')
    insertion = create_employee(company, "Salarié en insertion")
    supervisor = create_employee(company, "Encadrante")
    Employee.write([insertion, supervisor],
        {'start_date': dt.date(2026, 1, 1)})
    Contract.create([{
                'employee': insertion.id, 'kind': 'insertion',
                'start_date': dt.date(2026, 1, 1),
                'end_date': insertion_end,
                }, {
                'employee': supervisor.id, 'kind': 'supervisor',
                'start_date': dt.date(2026, 1, 1),
                'weekly_hours': 35,
                }])
    return insertion, supervisor


def log_hours(entries):
    "Create the time sheet lines of (employee, work, date, hours) entries."
    Line = Pool().get('timesheet.line')
    Line.create([{'employee': e.id, 'work': w.id, 'date': d,
                'duration': h * HOUR} for e, w, d, h in entries])

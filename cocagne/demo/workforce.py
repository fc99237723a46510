"""Insertion workforce: employees, contracts, works by activity and the
time sheets of the last four weeks."""
import datetime as dt

from proteus import Model

from .common import company_context, months, today

# name, activity
WORKS = [
    ("Maraîchage", 'market_gardening'),
    ("Transformation", 'processing'),
    ("Logistique", 'logistics'),
    ("Vente", 'sales'),
    ("Livraison des paniers", 'delivery'),
    ]
MG, PR, LO, SA, DE = (a for _, a in WORKS)
INS, SUP, PER = 'insertion', 'supervisor', 'permanent'
WEEKLY_HOURS = {INS: 26.0, SUP: 35.0, PER: 35.0}

# garden key: [(name, contract kind, start: days ago, end: months ahead
#   (None: open-ended), main activity, second activity, comment)]
EMPLOYEES = {
    'doubs': [
        ("Claire Mougin", PER, 2900, None, SA, LO, "Coordinatrice du jardin"),
        ("Julien Vuillemin", SUP, 1500, None, MG, None,
            "Encadrant technique maraîchage"),
        ("Nadia Belkacem", SUP, 800, None, PR, None,
            "Encadrante technique conserverie"),
        ("Kevin Girardot", INS, 330, 6, MG, LO, None),
        ("Sandrine Cuenot", INS, 250, 10, MG, PR, None),
        ("Mamadou Diallo", INS, 400, 4, MG, DE, None),
        ("Audrey Pernot", INS, 180, 14, PR, MG, None),
        ("Sébastien Jacquot", INS, 90, 20, MG, SA, None),
        ("Fatima Ouali", INS, 140, 16, PR, SA, None),
        ("Thierry Faivre", INS, 45, 22, LO, DE, "Permis B, livraisons"),
        ],
    'rennes': [
        ("Anne Le Gall", PER, 3500, None, SA, LO, "Directrice"),
        ("Yann Le Bihan", SUP, 2100, None, MG, None,
            "Encadrant technique maraîchage"),
        ("Soizic Guégan", SUP, 600, None, PR, None,
            "Encadrante technique légumerie"),
        ("Erwan Rolland", INS, 380, 5, MG, PR, None),
        ("Gwenaëlle Hamon", INS, 300, 8, PR, MG, None),
        ("Karim Haddad", INS, 210, 12, MG, DE, None),
        ("Ludivine Corre", INS, 160, 15, PR, SA, None),
        ("Mickaël Le Roux", INS, 120, 18, MG, LO, None),
        ("Aïssatou Ba", INS, 75, 21, PR, MG, None),
        ("Loïc Briand", INS, 260, 9, DE, LO, "Permis B, tournées"),
        ("Marina Pichon", INS, 30, 23, SA, MG, None),
        ],
    'lyon': [
        ("Sophie Bernard", PER, 2600, None, LO, SA, "Responsable logistique"),
        ("Rachid Benali", SUP, 1900, None, MG, None,
            "Encadrant technique maraîchage"),
        ("Élodie Chapuis", SUP, 700, None, PR, None,
            "Encadrante technique conserverie et légumerie"),
        ("Jordan Perrin", INS, 350, 6, MG, LO, None),
        ("Samia Khelifi", INS, 280, 9, PR, MG, None),
        ("Florian Gauthier", INS, 230, 11, MG, DE, None),
        ("Nathalie Roux", INS, 190, 14, PR, SA, None),
        ("Moussa Traoré", INS, 150, 16, MG, PR, None),
        ("Céline Blanchard", INS, 100, 19, LO, DE, None),
        ("Dylan Morel", INS, 60, 22, MG, LO, None),
        ("Inès Mercier", INS, 20, 23, SA, PR, None),
        ("Patrick Fayolle", INS, 420, 4, DE, LO, "Permis C, tournées"),
        ],
    }
WEEKS = 4


def worked_days(start):
    "Working days of the last WEEKS weeks before today, from start on."
    monday = today() - dt.timedelta(days=today().weekday() + 7 * WEEKS)
    days = (monday + dt.timedelta(days=i) for i in range(7 * WEEKS))
    return [d for d in days if d < today() and d >= start]


def day_plan(kind, main, second):
    "The (activity, hours) of a working day, None on a day off."
    def plan(date):
        if kind == INS:
            if date.weekday() >= 4:  # 26 h: Monday to Thursday
                return None
            return [(main, 4.0), (second, 2.5)]
        if date.weekday() >= 5:
            return None
        return [(main, 7.0)] if not second else [(main, 4.0), (second, 3.0)]
    return plan


def load_works(gardens):
    """The works per activity of every garden.
    Return {(garden id, activity): work}."""
    Work = Model.get('timesheet.work')
    works = {(w.company.id, w.activity): w
        for w in Work.find([('activity', '!=', None)])}
    new = [Work(name=name, activity=activity, company=company)
        for company in gardens.values() for name, activity in WORKS
        if (company.id, activity) not in works]
    Work.save(new)
    works.update(((w.company.id, w.activity), w) for w in new)
    return works


def load_workforce(gardens):
    "Employees, contracts and time sheets of every garden that has none yet."
    Party = Model.get('party.party')
    Employee = Model.get('company.employee')
    Contract = Model.get('cocagne.employee.contract')
    Line = Model.get('timesheet.line')
    works = load_works(gardens)
    for key, rows in EMPLOYEES.items():
        company = gardens[key]
        if Employee.find([('company', '=', company.id)], limit=1):
            continue
        # created in the garden, as from the employee form: they belong to it
        with company_context(company):
            parties = [Party(name=row[0]) for row in rows]
            Party.save(parties)
        employees, contracts = [], []
        for party, (_, kind, since, until, *_, comment) in zip(parties, rows):
            start = today() - dt.timedelta(days=since)
            employee = Employee(party=party, company=company,
                start_date=start)
            employees.append(employee)
            contracts.append(Contract(company=company, kind=kind,
                    start_date=start, end_date=until and months(until),
                    weekly_hours=WEEKLY_HOURS[kind], comment=comment))
        Employee.save(employees)
        for employee, contract in zip(employees, contracts):
            contract.employee = employee
        Contract.save(contracts)

        lines = []
        for employee, (_, kind, _, _, main, second, _) in zip(
                employees, rows):
            plan = day_plan(kind, main, second)
            for date in worked_days(employee.start_date):
                for activity, hours in plan(date) or []:
                    lines.append(Line(company=company, employee=employee,
                            date=date, work=works[company.id, activity],
                            duration=dt.timedelta(hours=hours)))
        Line.save(lines)

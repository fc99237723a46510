"""Grants of the gardens: six grants from the usual programmes (PAT, PNA,
LEADER with FEADER, aide au poste, Région investment, a foundation), awarded
and under way, with supplier invoices and time sheets charged to them,
instalments, indicators and deadlines."""
import datetime as dt
from decimal import Decimal

from proteus import Model

from .common import company_context, get_or_none, months, ref, today

# code, name, funder type, maximum rate, claimable before the balance,
# eligible categories, rules
PROGRAMMES = [
    ('PAT', "Projet alimentaire territorial", 'municipality', '0.8', '0.7',
        [], "Niveau 1 pour 3 ans, niveau 2 pour 5 ans."),
    ('PNA', "Programme national pour l'alimentation", 'state', '0.8', '0.8',
        [], "Appel à projets annuel : jusqu'à 100 000 € sur 36 mois pour un "
        "nouveau PAT."),
    ('LEADER', "LEADER (FEADER)", 'eu', '0.8', '0.8',
        ['services', 'supplies', 'investment', 'insertion_wages',
            'supervision'],
        "Cofinancement public national obligatoire ; 80 % au plus versés "
        "avant le solde."),
    ('POSTE', "Aide au poste d'insertion (DDETS)", 'state', '1', '0.9',
        ['insertion_wages'], "Aide de l'État par poste en ACI, versée "
        "mensuellement par l'ASP."),
    ('REGION', "Investissement Région", 'region', '0.5', '0.5',
        ['investment', 'supplies'], "Matériel et équipements ; "
        "versement sur factures acquittées."),
    ('FONDATION', "Fondation", 'foundation', '1', '0.5', [], None),
    ]

# garden key, programme code, title, funder (name, type), budget
# [(category, description, planned)], other funders [(name, type, amount)],
# amount awarded, indicators [(name, kind, unit, target, entered)]
GRANTS = [
    ('doubs', 'PAT', "PAT du Grand Besançon : paniers en circuit court",
        ("Grand Besançon Métropole", 'municipality'),
        [('services', "Animation du PAT", 12000),
            ('supervision', "Coordination", 18000)],
        [("Jardins de Cocagne du Doubs", 'own', 6000)], 24000,
        [("Points de dépôt actifs", 'drop_points', "points", 12, None),
            ("Fermes partenaires", 'partner_farms', "fermes", 8, None)]),
    ('doubs', 'LEADER', "Légumerie solidaire du Doubs central",
        ("GAL du Doubs central", 'eu'),
        [('investment', "Équipement de la légumerie", 40000),
            ('insertion_wages', "Heures de l'équipe légumerie", 20000)],
        [("Région Bourgogne-Franche-Comté", 'region', 12000),
            ("Jardins de Cocagne du Doubs", 'own', 12000)], 36000,
        [("Heures d'insertion", 'insertion_hours', "h", 6000, None)]),
    ('rennes', 'PNA', "Paniers solidaires dans les quartiers de Rennes",
        ("DRAAF Bretagne", 'state'),
        [('supplies', "Paniers et emballages", 15000),
            ('services', "Communication et animation", 10000)],
        [("Jardins de Cocagne du Pays de Rennes", 'own', 5000)], 20000,
        [("Paniers solidaires distribués", 'entered', "paniers", 2000, 640),
            ("Points de dépôt actifs", 'drop_points', "points", 10, None)]),
    ('rennes', 'POSTE', "Aide au poste ACI 2026",
        ("DDETS d'Ille-et-Vilaine", 'state'),
        [('insertion_wages', "Salaires des CDDI", 90000)],
        [], 90000,
        [("Heures d'insertion", 'insertion_hours', "h", 12000, None),
            ("Sorties vers l'emploi", 'entered', "personnes", 6, 2)]),
    ('lyon', 'REGION', "Chambre froide et camion frigorifique",
        ("Région Auvergne-Rhône-Alpes", 'region'),
        [('investment', "Chambre froide", 30000),
            ('investment', "Camion frigorifique", 50000)],
        [("Jardins de Cocagne des Coteaux du Lyonnais", 'own', 40000)],
        40000, []),
    ('lyon', 'FONDATION', "Jardin pédagogique et ateliers cuisine",
        ("Fondation Terres Solidaires", 'foundation'),
        [('supplies', "Outils et semences", 6000),
            ('services', "Ateliers cuisine", 9000)],
        [("Métropole de Lyon", 'municipality', 5000)], 10000,
        [("Ateliers organisés", 'entered', "ateliers", 24, 9)]),
    ]

# supplier invoices charged to the grants: garden key, grant title prefix,
# budget line description, supplier, reference, object, amount excl. VAT,
# account code, days ago, share
INVOICES = [
    ('doubs', "PAT", "Animation du PAT", "Agence Circuits Courts Conseil",
        'CCC-2026-031', "Animation des réunions du PAT", 2400, '604', 40, 1),
    ('doubs', "Légumerie", "Équipement de la légumerie",
        "Inox Équipement Franche-Comté", 'IEF-8812',
        "Table de découpe inox et éplucheuse", 9800, '6063', 25, 1),
    ('rennes', "Paniers", "Paniers et emballages", "Emballages de l'Ouest",
        'EO-55120', "Cagettes bois et sacs kraft", 3100, '6068', 30, 1),
    ('rennes', "Paniers", "Communication et animation",
        "Imprimerie Coopérative Rennaise", 'ICR-2026-077',
        "Flyers et affiches des paniers solidaires", 1250, '604', 12, 0.5),
    ('lyon', "Chambre", "Chambre froide", "Froid Services Rhône",
        'FSR-10447', "Installation de la chambre froide 20 m³", 12000, '611',
        18, 1),
    ('lyon', "Jardin", "Outils et semences", "Semences Paysannes du Lyonnais",
        'SPL-3391', "Semences et petits outils", 850, '6068', 8, 1),
    ]
# garden key, grant title prefix, line description, activity, days of time
# sheets charged
TIMESHEETS = [
    ('doubs', "Légumerie", "Heures de l'équipe légumerie", 'processing'),
    ('rennes', "Aide au poste", "Salaires des CDDI", 'market_gardening'),
    ]
# hourly cost per kind of contract (salary and employer's contributions)
HOURLY_COSTS = {'insertion': Decimal('14.20'), 'supervisor': Decimal('24.50'),
    'permanent': Decimal('27.00')}


def load_programmes():
    "The funding programmes, shared by the network. Return {code: record}."
    Programme = Model.get('cocagne.grant.programme')
    programmes = {}
    for code, name, funder_type, rate, share, categories, rules in \
            PROGRAMMES:
        programme = get_or_none('cocagne.grant.programme',
            [('code', '=', code)])
        if not programme:
            programme = Programme(code=code, name=name,
                funder_type=funder_type, max_rate=Decimal(rate),
                claimable_share=Decimal(share), categories=categories,
                rules=rules)
            programme.save()
        programmes[code] = programme
    return programmes


def party(company, name):
    "The party named name, created in company's garden if missing."
    Party = Model.get('party.party')
    found = Party.find([('name', '=', name)], limit=1)
    if found:
        return found[0]
    with company_context(company):
        record = Party(name=name)
        record.save()
    return record


def load_grants(gardens):
    "The grants of the gardens that have none yet. Return them by title."
    Grant = Model.get('cocagne.grant')
    User = Model.get('res.user')
    programmes = load_programmes()
    start = months(-6).replace(day=1)
    end = months(18)
    grants = {}
    for (key, code, title, (funder, funder_type), budget, others, awarded,
            indicators) in GRANTS:
        company = gardens[key]
        grant = get_or_none('cocagne.grant',
            [('title', '=', title), ('company', '=', company.id)])
        if grant:
            grants[title] = grant
            continue
        with company_context(company):
            funder = party(company, funder)
            grant = Grant(company=company, title=title,
                programme=programmes[code], funder=funder,
                amount_requested=Decimal(awarded),
                eligible_base=Decimal(sum(b[2] for b in budget)),
                start_date=start, end_date=end,
                submission_date=months(-8))
            users = User.find([('login', '=', key)])
            grant.managers.extend(User(u.id) for u in users)
            for category, description, planned in budget:
                grant.budget_lines.new(category=category,
                    description=description, planned=Decimal(planned))
            grant.financings.new(funder=funder, funder_type=funder_type,
                amount=Decimal(awarded))
            for name, type_, amount in others:
                grant.financings.new(funder=party(company, name),
                    funder_type=type_, amount=Decimal(amount))
            for name, kind, unit, target, entered in indicators:
                grant.indicators.new(name=name, kind=kind, unit=unit,
                    target=Decimal(target),
                    entered=Decimal(entered) if entered is not None
                    else None)
            grant.save()
            grant.click('submit')
            grant.amount_awarded = Decimal(awarded)
            grant.award_date = months(-5)
            grant.convention_number = f'{code}-{today().year}-{grant.id:03d}'
            grant.save()
            grant.click('award')
            grant.click('start')
            load_instalments(grant)
        grants[title] = grant
    return grants


def load_instalments(grant):
    """An advance received, an interim payment claimed and the balance
    expected; a payment claim due in three weeks."""
    Instalment = Model.get('cocagne.grant.instalment')
    Deadline = Model.get('cocagne.grant.deadline')
    share = grant.programme.claimable_share
    awarded = grant.amount_awarded
    advance = (awarded * share / 2).quantize(Decimal('1'))
    interim = (awarded * share / 4).quantize(Decimal('1'))
    Instalment(grant=grant, funder=grant.funder, kind='advance',
        expected_date=months(-4), amount=advance, received_amount=advance,
        received_date=months(-4) + dt.timedelta(days=12)).save()
    Instalment(grant=grant, funder=grant.funder, kind='interim',
        expected_date=months(2), amount=interim).save()
    Instalment(grant=grant, funder=grant.funder, kind='balance',
        expected_date=grant.end_date + dt.timedelta(days=90),
        amount=awarded - advance - interim).save()
    Deadline(grant=grant, kind='claim', date=today() + dt.timedelta(days=21),
        description="Demande d'acompte sur dépenses acquittées").save()


def line_of(grants, key, gardens, prefix, description):
    "The budget line description of the grant of garden key titled prefix…"
    grant = next(g for t, g in grants.items()
        if t.startswith(prefix) and g.company.id == gardens[key].id)
    return grant, next(l for l in grant.budget_lines
        if l.description == description)


def load_invoices(gardens, grants):
    "Supplier invoices, posted and charged to the grants."
    Invoice = Model.get('account.invoice')
    Account = Model.get('account.account')
    Tax = Model.get('account.tax')
    Allocation = Model.get('cocagne.grant.allocation')
    year_start = today().replace(month=1, day=1)
    for (key, prefix, description, supplier, reference, text, amount,
            account, days, share) in INVOICES:
        company = gardens[key]
        if Invoice.find([('reference', '=', reference),
                    ('company', '=', company.id)]):
            continue
        grant, line = line_of(grants, key, gardens, prefix, description)
        date = max(today() - dt.timedelta(days=days), year_start,
            grant.start_date)
        with company_context(company):
            invoice = Invoice(type='in', party=party(company, supplier),
                invoice_date=date, reference=reference)
            invoice_line = invoice.lines.new(description=text, quantity=1,
                unit_price=Decimal(amount))
            invoice_line.account, = Account.find([
                    ('company', '=', company.id), ('code', '=', account)])
            invoice_line.taxes.extend(Tax.find([
                        ('company', '=', company.id),
                        ('template', '=', ref('account_fr',
                                'tva_achat_services_taux_normal'))]))
            invoice.click('post')
            paid = date + dt.timedelta(days=10)
            allocation = Allocation(grant=grant, budget_line=line,
                kind='invoice', invoice_line=invoice.lines[0],
                share=Decimal(str(share)),
                payment_date=paid if paid < today() else None,
                payment_means="Virement" if paid < today() else None)
            allocation.save()


def load_timesheets(gardens, grants):
    """Hourly costs of the employees, and the time sheets of an activity
    charged to the grants' wage lines."""
    Employee = Model.get('company.employee')
    Line = Model.get('timesheet.line')
    Allocation = Model.get('cocagne.grant.allocation')
    for key, prefix, description, activity in TIMESHEETS:
        company = gardens[key]
        employees = Employee.find([('company', '=', company.id)])
        for employee in employees:
            if not employee.cost_prices:
                employee.cost_prices.new(date=employee.start_date,
                    cost_price=HOURLY_COSTS[
                        employee.contracts[0].kind
                        if employee.contracts else 'permanent'])
                employee.save()
        grant, line = line_of(grants, key, gardens, prefix, description)
        if Allocation.find([('budget_line', '=', line.id)], limit=1):
            continue
        timesheets = Line.find([
                ('company', '=', company.id),
                ('work.activity', '=', activity),
                ('date', '>=', grant.start_date),
                ('employee.contracts.kind', '=', 'insertion'),
                ])
        Allocation.save([Allocation(grant=grant, budget_line=line,
                    kind='timesheet', timesheet_line=t)
                for t in timesheets])


def load(gardens):
    "Programmes, grants, their instalments and expenses."
    grants = load_grants(gardens)
    load_invoices(gardens, grants)
    load_timesheets(gardens, grants)

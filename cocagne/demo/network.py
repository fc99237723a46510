"""The network: three gardens (companies) with their French chart of
accounts, fiscal year, VAT categories and users."""
from proteus import Model, Wizard
from proteus.config import get_config

from ..config import ADMIN_PASSWORD
from .common import company_context, get_or_none, ref, today

# key, network code, name, kind, local radius (km), address, user login
# (invented gardens placed in real towns: not data of real entities)
GARDENS = [
    ('doubs', 'CG-01', "Jardins de Cocagne du Doubs", 'aci', 150.0,
        {'street': "12 chemin des Vergers", 'postal_code': '25220',
            'city': "Chalezeule", 'latitude': 47.2636, 'longitude': 6.0706},
        'doubs'),
    ('rennes', 'CG-02', "Jardins de Cocagne du Pays de Rennes",
        'association', 100.0,
        {'street': "3 rue de la Motte", 'postal_code': '35235',
            'city': "Thorigné-Fouillard", 'latitude': 48.1596,
            'longitude': -1.5776},
        'rennes'),
    ('lyon', 'CG-03', "Jardins de Cocagne des Coteaux du Lyonnais",
        'cooperative', 150.0,
        {'street': "48 route de Soucieu", 'postal_code': '69530',
            'city': "Brignais", 'latitude': 45.6736, 'longitude': 4.7544},
        'lyon'),
    ]

# The user of the network office, working for every garden.
NETWORK_LOGIN = 'reseau'

# Accounting categories: name, XML ids in account_fr of the customer and
# supplier taxes, codes of the revenue and expense accounts (accounts that
# take entries: account_fr closes their parents 701, 707, 607 and 602). The
# standard rate is the « Taux Normal » parent tax, whose child is 20 % since
# 2014.
ACCOUNT_CATEGORIES = [
    ("Alimentaire 5,5 %", 'tva_vente_biens_5_5', 'tva_achat_biens_5_5',
        '7011', '6071'),
    ("Fournitures 20 %", 'tva_vente_biens_taux_normal',
        'tva_achat_biens_taux_normal', '7071', '60223'),
    ("Services 20 %", 'tva_vente_services_taux_normal',
        'tva_achat_services_taux_normal', '706', '604'),
    # meals served and catering with service (the intermediate rate,
    # whose child is 10 % since 2014)
    ("Restauration 10 %", 'tva_vente_services_taux_intermediaire',
        'tva_achat_services_taux_intermediaire', '706', '604'),
    ]

# Standard groups given to each garden's user, beside Cocagne's.
USER_GROUPS = [
    ('cocagne_base', 'group_cocagne'),
    ('cocagne_base', 'group_cocagne_admin'),
    ('party', 'group_party_admin'),
    ('product', 'group_product_admin'),
    ('stock', 'group_stock'),
    ('sale', 'group_sale'),
    ('purchase', 'group_purchase'),
    ('account', 'group_account'),
    ('company', 'group_employee_admin'),
    ('timesheet', 'group_timesheet_admin'),
    ('cocagne_bio_shop', 'group_bio_shop'),
    ]


def french():
    "The French ir.lang."
    Lang = Model.get('ir.lang')
    fr, = Lang.find([('code', '=', 'fr')])
    return fr


def euro_and_france():
    "EUR and France, created if the database has none."
    Currency = Model.get('currency.currency')
    Country = Model.get('country.country')
    eur = get_or_none('currency.currency', [('code', '=', 'EUR')])
    if not eur:
        eur = Currency(name="Euro", code='EUR', symbol='€', numeric_code='978',
            digits=2)
        eur.save()
    france = get_or_none('country.country', [('code', '=', 'FR')])
    if not france:
        france = Country(name="France", code='FR', code3='FRA',
            code_numeric='250')
        france.save()
    return eur, france


def load_gardens():
    "Create the gardens; return {key: company}."
    Company = Model.get('company.company')
    Party = Model.get('party.party')
    eur, france = euro_and_france()
    gardens = {}
    for key, code, name, kind, radius, address, _ in GARDENS:
        company = get_or_none('company.company', [('network_code', '=', code)])
        if not company:
            party = Party(name=name)
            party.addresses[0].country = france
            for field, value in address.items():
                setattr(party.addresses[0], field, value)
            party.save()
            company = Company(party=party, currency=eur,
                timezone='Europe/Paris', garden_kind=kind,
                network_code=code)
            company.save()
            with company_context(company):
                configuration = Model.get('cocagne.configuration')(1)
                configuration.local_radius = radius
                configuration.save()
        gardens[key] = company
    return gardens


def allow_admin(gardens, filter_='all'):
    """Give admin the gardens, the first as current one; 'all' shows every
    garden at once, to the loaders and to the network's administrator."""
    User = Model.get('res.user')
    config = get_config()
    admin = User(config.user)
    first = gardens[GARDENS[0][0]]
    Company = Model.get('company.company')
    allowed = {c.id for c in admin.companies}
    admin.companies.extend(Company(c.id) for c in gardens.values()
        if c.id not in allowed)
    admin.company = first
    admin.company_filter = filter_
    admin.save()
    config._context = User.get_preferences(True, {})


def load_chart(company):
    "French chart of accounts and the fiscal year of today for company."
    Account = Model.get('account.account')
    if not Account.find([('company', '=', company.id)], limit=1):
        AccountTemplate = Model.get('account.account.template')
        wizard = Wizard('account.create_chart')
        wizard.execute('account')
        wizard.form.account_template = AccountTemplate(
            ref('account_fr', 'root'))
        wizard.form.company = company
        wizard.execute('create_account')
        receivable, = Account.find([('company', '=', company.id),
                ('code', '=', '4111')])
        payable, = Account.find([('company', '=', company.id),
                ('code', '=', '4011')])
        wizard.form.account_receivable = receivable
        wizard.form.account_payable = payable
        wizard.execute('create_properties')
    load_fiscalyear(company)


def load_fiscalyear(company, day=None):
    """The calendar fiscal year containing day (by default today), with
    monthly periods."""
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    day = day or today()
    year = day.year
    if FiscalYear.find([('company', '=', company.id),
                ('start_date', '<=', day), ('end_date', '>=', day)]):
        return
    move_type = SequenceType(ref('account', 'sequence_type_account_move'))
    invoice_type = SequenceType(
        ref('account_invoice', 'sequence_type_account_invoice'))
    moves, customer, supplier = sequences = [
        Sequence(name=f"Écritures {year}", prefix=f'E{year}-',
            sequence_type=move_type, company=company),
        Sequence(name=f"Factures clients {year}", prefix=f'F{year}-',
            sequence_type=invoice_type, company=company),
        Sequence(name=f"Factures fournisseurs {year}", prefix=f'FF{year}-',
            sequence_type=invoice_type, company=company),
        ]
    Sequence.save(sequences)
    fiscalyear = FiscalYear(name=str(year), company=company,
        start_date=day.replace(month=1, day=1),
        end_date=day.replace(month=12, day=31),
        move_sequence=moves)
    invoice_sequences, = fiscalyear.invoice_sequences
    invoice_sequences.out_invoice_sequence = customer
    invoice_sequences.out_credit_note_sequence = customer
    invoice_sequences.in_invoice_sequence = supplier
    invoice_sequences.in_credit_note_sequence = supplier
    fiscalyear.save()
    fiscalyear.click('create_period')


def load_account_categories(gardens):
    """The VAT categories shared by the gardens, each holding the taxes and
    accounts of every garden. Return {name: category}."""
    Category = Model.get('product.category')
    Tax = Model.get('account.tax')
    Account = Model.get('account.account')
    categories = {}
    for name, customer, supplier, revenue, expense in ACCOUNT_CATEGORIES:
        category = get_or_none('product.category',
            [('name', '=', name), ('accounting', '=', True)])
        if category:
            categories[name] = category
            continue
        category = Category(name=name, accounting=True)
        category.save()
        # the accounts depend on the company of the context
        for company in gardens.values():
            with company_context(company):
                category = Category(category.id)
                category.account_revenue, = Account.find([
                        ('company', '=', company.id), ('code', '=', revenue)])
                category.account_expense, = Account.find([
                        ('company', '=', company.id), ('code', '=', expense)])
                category.save()
        # the taxes last: changing the accounts resets them
        category = Category(category.id)
        for company in gardens.values():
            for taxes, template in [
                    (category.customer_taxes, customer),
                    (category.supplier_taxes, supplier)]:
                taxes.extend(Tax.find([('company', '=', company.id),
                            ('template', '=', ref('account_fr', template))]))
        category.save()
        categories[name] = category
    return categories


def load_users(gardens):
    "One user per garden, restricted to it, in French."
    User = Model.get('res.user')
    Group = Model.get('res.group')
    Company = Model.get('company.company')
    groups = [ref(m, g) for m, g in USER_GROUPS]
    fr = french()
    users = []
    for key, _, name, *_, login in GARDENS:
        if User.find([('login', '=', login)]):
            continue
        company = gardens[key]
        user = User(login=login, name=f"Équipe {name}",
            password=ADMIN_PASSWORD, email=f'{login}@cocagne.example.org',
            language=fr)
        user.groups.extend(Group(g) for g in groups)
        user.companies.append(Company(company.id))
        user.company = company
        users.append(user)
    User.save(users)


def load_network_user(gardens):
    """The network's user: every garden, all shown at once (company filter
    'all'), the first garden as current one."""
    User = Model.get('res.user')
    Group = Model.get('res.group')
    Company = Model.get('company.company')
    if User.find([('login', '=', NETWORK_LOGIN)]):
        return
    user = User(login=NETWORK_LOGIN, name="Réseau des jardins",
        password=ADMIN_PASSWORD, email=f'{NETWORK_LOGIN}@cocagne.example.org',
        language=french())
    user.groups.extend(Group(ref(m, g)) for m, g in USER_GROUPS)
    user.companies.extend(Company(c.id) for c in gardens.values())
    user.company = gardens[GARDENS[0][0]]
    user.company_filter = 'all'
    user.save()

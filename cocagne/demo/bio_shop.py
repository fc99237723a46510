"""Cocagne Bio, the online shop of the Rennes garden (cocagne_bio_shop).

The shop sells from the producers' shop at Thorigné, the garden keeping
15 % of the partner farms' sales. Last week's cycle is closed: its orders
confirmed, the farms' purchases made (the demo farms have no email address:
nothing is mailed, the purchases say so), the orders shipped with their
packed weights, the farms settled and their invoices drafted. This week's
cycle is open: 60 offers of the garden and eight farms, a few nearly sold
out, three pickup places (one with a capacity, nearly full), 150 orders of
the member households and the baskets of 120 subscriptions (25 of them
solidarity-priced at 50 %, a few members away this week). A recurring cycle
copies it every week, delivered on Thursday. Random but seeded: the same day
gives the same demo."""
import datetime as dt
import math
import random
from collections import Counter, defaultdict
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from proteus import Model
from proteus.config import get_config

from ..config import ADMIN_PASSWORD
from .common import company_context, get_or_none, ref, ship, today
from .network import euro_and_france, load_fiscalyear
from .products import (
    ALL_YEAR, BAKERY, DAIRY, FOOD, FRUIT, GROCERY, JARS, VEG, _template,
    load_categories, load_uoms, season)

GARDEN = 'rennes'
# the members with an account on the storefront
ACCOUNTS = 5
SEED = 9
SHOP = "Cocagne Bio du Pays de Rennes"
SITE = 'RN-BOU'
COMMISSION = Decimal('0.15')
SERVICES = "Services 20 %"
FEE = ("Frais de préparation", Decimal('0.50'))
TEMPLATE = "Cocagne Bio, chaque semaine"
THURSDAY = 'Thursday'
# the pickup places (drop points of places.py) and their capacity: None,
# or True for a capacity just above the orders collected there
PICKUPS = [
    ("Maison de quartier de Maurepas", None,
        "Dans la salle du rez-de-chaussée, entrée rue de la Marbaudais."),
    ("Centre social de Villejean", None,
        "À l'accueil du centre social ; paniers solidaires."),
    ("Espace Citoyen de Cesson-Sévigné", True,
        "Hall de l'Espace Citoyen, places limitées."),
    ]
WINDOW = (dt.time(16), dt.time(19))
# the partner farms selling in the shop (retz, 100 km away, does not)
FARMS = ['landes', 'vilaine', 'coglais', 'bouexiere', 'gosne', 'chasne',
    'sulpice', 'servon']
CONSIGNMENT = {'sulpice', 'coglais'}
OFFERS = 60
# orders of the open and the closed cycle, lines on an order
ORDERS, PAST_ORDERS, LINES = 150, 40, (3, 8)
CHUNK = 50
HOUSEHOLDS, SUBSCRIPTIONS, SOLIDARITY, ABSENT = 160, 120, 25, 6
SOLIDARITY_RATE = Decimal('0.5')
# basket sizes: name, product, price excluding taxes, number of own
# products, quantity of a product by the kg
SIZES = [
    ("Petit panier", "Panier petit", '11.50', 4, 0.5),
    ("Grand panier", "Panier grand", '18.00', 6, 1.0),
    ]
# offers capped, and those nearly sold out among them
CAPPED, NEARLY_SOLD_OUT = 30, 5

# The shop's own vegetables beside those of products.py, for every season:
# (name, uom, list price, cost price, season, allergens)
OWN = [
    ("Poireau", 'kg', '3.20', '1.10', season((9, 4)), []),
    ("Carotte de garde", 'kg', '2.20', '0.70', season((10, 4)), []),
    ("Betterave rouge", 'kg', '2.60', '0.80', season((7, 3)), []),
    ("Céleri-rave", 'kg', '3.20', '1.00', season((10, 3)), ['celery']),
    ("Panais", 'kg', '3.40', '1.10', season((10, 3)), []),
    ("Chou kale", 'botte', '2.80', '0.90', season((10, 3)), []),
    ("Oignon jaune", 'kg', '3.00', '0.90', season((7, 4)), []),
    ("Pomme de terre de garde", 'kg', '1.90', '0.60', season((8, 5)), []),
    ("Chou rouge", 'u', '2.50', '0.80', season((9, 3)), []),
    ("Radis rose", 'botte', '1.80', '0.50', season((4, 6), (9, 10)), []),
    ("Épinard", 'kg', '6.50', '2.20', season((3, 5), (9, 11)), []),
    ("Haricot vert", 'kg', '8.50', '3.50', season((7, 9)), []),
    ("Concombre", 'u', '1.60', '0.50', season((6, 9)), []),
    ("Persil plat", 'botte', '1.50', '0.40', season((4, 11)), []),
    ]
# the farms' products sold in the shop beside those of products.py:
# farm key: [(name, uom, list price, cost price, allergens, season,
#   category)]
PARTNER = {
    'landes': [
        ("Pintade fermière", 'kg', '14.50', '10.50', [], ALL_YEAR, GROCERY),
        ("Cuisses de poulet fermier", 'kg', '13.00', '9.20', [], ALL_YEAR,
            GROCERY),
        ("Terrine de poulet 180 g", 'u', '5.80', '3.90', [], ALL_YEAR,
            GROCERY),
        ],
    'vilaine': [
        ("Fromage frais aux herbes 150 g", 'u', '3.20', '2.10', ['milk'],
            ALL_YEAR, DAIRY),
        ("Lait ribot 1 L", 'u', '1.90', '1.20', ['milk'], ALL_YEAR, DAIRY),
        ("Tomme aux orties", 'kg', '22.00', '15.50', ['milk'], ALL_YEAR,
            DAIRY),
        ("Faisselle 500 g", 'u', '2.90', '1.90', ['milk'], ALL_YEAR, DAIRY),
        ],
    'coglais': [
        ("Cidre brut 75 cl", 'u', '4.50', '2.80', ['sulphites'], ALL_YEAR,
            GROCERY),
        ("Cidre doux 75 cl", 'u', '4.30', '2.70', ['sulphites'], ALL_YEAR,
            GROCERY),
        ("Poiré 75 cl", 'u', '5.20', '3.30', ['sulphites'], ALL_YEAR,
            GROCERY),
        ("Vinaigre de cidre 50 cl", 'u', '3.50', '2.10', ['sulphites'],
            ALL_YEAR, GROCERY),
        ],
    'bouexiere': [
        ("Yaourt nature fermier 4 × 125 g", 'u', '2.90', '1.90', ['milk'],
            ALL_YEAR, DAIRY),
        ("Riz au lait 2 × 150 g", 'u', '3.40', '2.20', ['milk'], ALL_YEAR,
            DAIRY),
        ("Beurre doux 250 g", 'u', '3.50', '2.30', ['milk'], ALL_YEAR,
            DAIRY),
        ("Crème dessert au chocolat 2 × 125 g", 'u', '3.20', '2.10',
            ['milk'], ALL_YEAR, DAIRY),
        ],
    'gosne': [
        ("Baguette paysanne", 'u', '1.60', '1.00', ['gluten'], ALL_YEAR,
            BAKERY),
        ("Pain aux graines 500 g", 'u', '4.20', '2.70', ['gluten',
                'sesame'], ALL_YEAR, BAKERY),
        ("Kouign-amann 400 g", 'u', '7.50', '4.90', ['gluten', 'milk'],
            ALL_YEAR, BAKERY),
        ("Sablés bretons 200 g", 'u', '4.60', '3.00', ['gluten', 'milk',
                'eggs'], ALL_YEAR, BAKERY),
        ("Brioche tressée 400 g", 'u', '6.20', '4.00', ['gluten', 'milk',
                'eggs'], ALL_YEAR, BAKERY),
        ],
    'chasne': [
        ("Champignon de Paris", 'kg', '9.00', '6.00', [], ALL_YEAR, VEG),
        ("Pleurote jaune", 'kg', '16.00', '11.00', [], ALL_YEAR, VEG),
        ("Pied-bleu", 'kg', '20.00', '14.00', [], season((9, 3)), VEG),
        ],
    'sulpice': [
        ("Miel de sarrasin 500 g", 'u', '11.00', '7.60', [], ALL_YEAR,
            GROCERY),
        ("Pain d'épices au miel 300 g", 'u', '6.50', '4.30', ['gluten'],
            ALL_YEAR, GROCERY),
        ("Hydromel 75 cl", 'u', '14.00', '9.50', ['sulphites'], ALL_YEAR,
            GROCERY),
        ],
    'servon': [
        ("Compote pomme-poire 700 g", 'u', '4.80', '3.10', [], ALL_YEAR,
            JARS),
        ("Pomme chantecler", 'kg', '2.90', '1.70', [], season((9, 5)),
            FRUIT),
        ("Confiture de poire 320 g", 'u', '4.60', '3.00', [], ALL_YEAR,
            JARS),
        ("Pommes séchées 100 g", 'u', '3.90', '2.50', [], ALL_YEAR,
            GROCERY),
        ],
    }

FIRST_NAMES = ["Camille", "Dominique", "Claude", "Maëlle", "Yann", "Gwenaëlle",
    "Erwan", "Nolwenn", "Loïc", "Soizic", "Tanguy", "Armelle", "Ronan",
    "Katell", "Mathieu", "Élodie", "Thomas", "Sophie", "Julien", "Léa",
    "Nicolas", "Chloé", "Antoine", "Manon", "Pierre", "Inès", "Hugo",
    "Sarah", "Maxime", "Pauline", "Bastien", "Anaïs", "Kévin", "Émilie",
    "Alexandre", "Justine", "Romain", "Océane", "Quentin", "Margaux"]
LAST_NAMES = ["Le Gall", "Le Goff", "Le Roux", "Guillou", "Tanguy", "Morvan",
    "Le Bihan", "Le Floch", "Hamon", "Lebreton", "Bertrand", "Rolland",
    "Daniel", "Jégou", "Collet", "Fleury", "Martin", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garnier",
    "Rousseau", "Blanchard", "Guérin", "Boucher", "Renaud", "Lemaire",
    "Perrin", "Marchand", "Dupuis", "Colin", "Robin", "Gauthier",
    "Chevalier", "Le Corre"]
STREETS = ["rue de Fougères", "boulevard de Metz", "rue de Saint-Malo",
    "rue de Nantes", "avenue du Général-Leclerc", "rue de Paris",
    "rue Jean-Guéhenno", "allée de Brocéliande", "rue des Lilas",
    "rue du Stade", "chemin des Vergers", "rue de la Mairie",
    "place Sainte-Anne", "rue de Dinan", "avenue de Bretagne",
    "rue de la Poterie"]
# postal code, town, share of the households
TOWNS = [('35000', "Rennes", 4), ('35700', "Rennes", 3),
    ('35200', "Rennes", 2), ('35510', "Cesson-Sévigné", 3),
    ('35235', "Thorigné-Fouillard", 2), ('35830', "Betton", 1),
    ('35135', "Chantepie", 1), ('35690', "Acigné", 1),
    ('35760', "Saint-Grégoire", 1)]


def loaded():
    "Whether the shop has its recurring cycle (the last of the step)."
    return bool(get_or_none('cocagne.order_cycle.template',
            [('name', '=', TEMPLATE)]))


def load_bio_shop(gardens, farms):
    """The Cocagne Bio shop of the Rennes garden: last week's cycle closed
    and settled, this week's open with its orders and baskets, and the
    recurring cycle."""
    company = gardens[GARDEN]
    with company_context(company):
        _accounts(company, _members(company, _rng('members')))
    if loaded():
        return
    partners = {farms[k].id for k in FARMS}
    consigned = {farms[k].id for k in CONSIGNMENT}
    with company_context(company):
        load_fiscalyear(company, today() - dt.timedelta(days=14))
        shop = _shop(company)
        products = _products(company, farms)
        fee = _fee_product(company)
        members = _members(company, _rng('members'))
        offers = partial(_offers, company, products, partners, consigned)
        past = _past_cycle(company, shop, offers, fee, members,
            _rng('past'))
        _settle(past, _rng('settle'))
        cycle = _open_cycle(company, shop, offers, products, fee, members,
            _rng('open'))
        _recurring(company, shop, cycle)


def _accounts(company, members):
    """The storefront accounts of the first members, their email
    validated, with the demo's password (README)."""
    WebUser = Model.get('web.user')
    emails = [(m, [c.value for c in m.contact_mechanisms
                if c.type == 'email'][0]) for m in members[:ACCOUNTS]]
    existing = {u.email for u in WebUser.find([
                ('email', 'in', [e for _, e in emails])])}
    users = [WebUser(email=email, password=ADMIN_PASSWORD, party=party,
            email_valid=True) for party, email in emails
        if email not in existing]
    WebUser.save(users)


def _rng(step):
    """The random generator of a step: seeded by the step, so that a step
    resumed draws what it drew the first time."""
    return random.Random(f'{SEED}-{step}')


def _shop(company):
    "The garden's Cocagne Bio shop, selling from the producers' shop."
    Shop = Model.get('web.shop')
    Location = Model.get('stock.location')
    shop = get_or_none('web.shop', [('name', '=', SHOP)])
    if not shop:
        warehouse = get_or_none('stock.location', [('code', '=', SITE)])
        if not warehouse:
            warehouse, = Location.find([('company', '=', company.id),
                    ('type', '=', 'warehouse')], limit=1)
        shop = Shop(name=SHOP, type='cocagne', company=company,
            currency=company.currency, commission_rate=COMMISSION)
        shop.warehouses.append(Location(warehouse.id))
        shop.save()
    return shop


def _products(company, farms):
    """The products the shop may offer, the baskets' and the fee's
    created if missing: {name: product}."""
    Template = Model.get('product.template')
    Category = Model.get('product.category')
    Party = Model.get('party.party')
    uoms, categories = load_uoms(), load_categories()
    food, = Category.find([('name', '=', FOOD), ('accounting', '=', True)])
    existing = {t.name for t in Template.find([
                ('company', '=', company.id)])}
    templates = []
    for name, uom, price, cost, months, allergens in OWN:
        if name not in existing:
            templates.append(_template(name, uoms[uom], price, cost,
                    categories[VEG], food, company=company, origin='own',
                    organic=True, season_months=months,
                    allergens=allergens))
    for _, product, price, *_ in SIZES:
        if product not in existing:
            template = _template(product, uoms['u'], price,
                str((Decimal(price) * Decimal('0.4')).quantize(Decimal('0.01'))), categories[VEG],
                food, company=company, origin='own', organic=True)
            template.purchasable = False
            templates.append(template)
    for farm, rows in PARTNER.items():
        producer = farms[farm]
        certified = Party(producer.id).organic_certified
        for name, uom, price, cost, allergens, months, category in rows:
            if name in existing:
                continue
            template = _template(name, uoms[uom], price, cost,
                categories[category], food, company=company,
                origin='partner', producer=producer, organic=certified,
                allergens=allergens, season_months=months)
            template.product_suppliers.new(party=producer, company=company)
            templates.append(template)
    Template.save(templates)
    return {t.name: t.products[0] for t in Template.find([
                ('company', '=', company.id), ('salable', '=', True),
                ('type', '=', 'goods'),
                ('name', 'not like', '%restauration collective%')])}


def _fee_product(company):
    "The service sold for the customer's preparation fee."
    Template = Model.get('product.template')
    Category = Model.get('product.category')
    template = get_or_none('product.template', [
            ('company', '=', company.id), ('name', '=', FEE[0])])
    if not template:
        services, = Category.find([('name', '=', SERVICES),
                ('accounting', '=', True)])
        template = Template(name=FEE[0], type='service', company=company,
            origin='own', salable=True, purchasable=False,
            account_category=services, list_price=FEE[1])
        template.default_uom = load_uoms()['u']
        template.save()
    return template.products[0]


def _members(company, rng):
    """The member households of the garden (customers of the shop), each
    with an address near Rennes, a phone and an email: [party]."""
    Party = Model.get('party.party')
    _, france = euro_and_france()
    names = []
    while len(names) < HOUSEHOLDS:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    existing = {p.name: p for p in Party.find([
                ('company', '=', company.id), ('name', 'in', names)])}
    towns = [t for t in TOWNS for _ in range(t[2])]
    values = []
    for index, name in enumerate(names):
        postal_code, city, _ = rng.choice(towns)
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
        mobile = index % 3 != 0
        phone = (f'+3361{rng.randint(1000000, 9999999)}' if mobile
            else f'+33299{rng.randint(100000, 999999)}')
        if name in existing:
            continue
        login = (name.lower().replace(' ', '.').replace("'", '')
            .translate(str.maketrans('àâäéèêëïîôöùûüç', 'aaaeeeeiioouuuc')))
        values.append({'name': name, 'company': company.id,
                'addresses': [('create', [{'street': street,
                                'postal_code': postal_code, 'city': city,
                                'country': france.id}])],
                'contact_mechanisms': [('create', [
                            {'type': 'mobile' if mobile else 'phone',
                                'value': phone},
                            {'type': 'email',
                                'value': f'{login}@example.org'}])]})
    if values:
        config = get_config()
        Party._proxy.create(values, config.context)
        existing = {p.name: p for p in Party.find([
                    ('company', '=', company.id), ('name', 'in', names)])}
    return [existing[n] for n in names]


def _utc(day, time, company):
    "The naive UTC datetime of time on day in the garden's time zone."
    local = dt.datetime.combine(day, time, ZoneInfo(company.timezone))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _in_season(products, day):
    "The products (of a name) in season on day."
    month = f'{day.month:02d}'
    return {n: p for n, p in products.items()
        if not p.template.season_months or month in p.template.season_months}


def _offers(company, products, partners, consigned, delivery, rng):
    """The 60 offers of a cycle delivered on delivery: the garden's own
    produce in season (a third), then the partner farms' products in
    season: [(product, producer, supply)], the farms in consigned on
    consignment."""
    baskets = {product for _, product, *_ in SIZES}
    ready = _in_season(products, delivery)
    own, partner = [], []
    for name in sorted(ready):
        template = ready[name].template
        if template.origin == 'partner':
            if template.producer.id in partners:
                partner.append(ready[name])
        elif name not in baskets:
            own.append(ready[name])
    own = own[:OFFERS // 3]
    partner = sorted(rng.sample(partner, min(len(partner),
                OFFERS - len(own))), key=lambda p: p.template.name)
    return [(p, company.party, 'own') for p in own] + [
        (p, p.template.producer, 'consignment'
            if p.template.producer.id in consigned else 'purchase')
        for p in partner]


def _quantity(product, rng):
    "A quantity of product that a household orders."
    if product.sale_uom.symbol == 'kg':
        price = product.template.list_price
        low, high = (0.2, 0.6) if price > 10 else (0.5, 2.5)
        return round(rng.uniform(low, high), 2)
    return rng.choice([1, 1, 1, 2, 2, 3])


def _orders(offers, customers, pickups, rng):
    """The orders of customers [(party, pickup or None)]: [(party, pickup,
    [(offer index, quantity)])], the pickup chosen if None."""
    orders = []
    for party, pickup in customers:
        if pickup is None:
            pickup = rng.choices(pickups, weights=[5, 4, 2])[0]
        chosen = rng.sample(range(len(offers)), rng.randint(*LINES))
        orders.append((party, pickup, [(i, _quantity(offers[i][0], rng))
                    for i in sorted(chosen)]))
    return orders


def _cap(total, unit, nearly, rng):
    "A cap above total: just above it when nearly sold out."
    if unit == 'kg':
        if nearly:
            return round(total + rng.uniform(0.2, 1.0), 1)
        return float(max(5, 5 * math.ceil(total * 1.5 / 5)))
    if nearly:
        return float(math.ceil(total) + rng.randint(1, 3))
    return float(max(10, 5 * math.ceil(total * 1.5 / 5)))


def _cycle(company, shop, delivery, opens_at, closes_at, offers, fee,
        places, caps=None, capacity=None):
    """Create the cycle of shop delivered on delivery with offers
    [(product, producer, supply)] (caps {index: cap}), the pickup places
    (capacity {place: capacity}) and the customers' fee; open it."""
    Cycle = Model.get('cocagne.order_cycle')
    start, end = (_utc(delivery, t, company) for t in WINDOW)
    caps, capacity = caps or {}, capacity or {}
    cycle_id, = Cycle._proxy.create([{'company': company.id,
                'shop': shop.id,
                'name': f"{SHOP}, livraison du {delivery:%d/%m/%Y}",
                'opens_at': opens_at, 'closes_at': closes_at,
                'delivery_date': delivery,
                'offers': [('create', [{'product': product.id,
                                'producer': producer.id, 'supply': supply,
                                'unit_price': product.template.list_price,
                                'cap': caps.get(index)}
                            for index, (product, producer, supply)
                            in enumerate(offers)])],
                'pickups': [('create', [{'place': place.id,
                                'starts_at': start, 'ends_at': end,
                                'instructions': instructions,
                                'capacity': capacity.get(place.id)}
                            for place, instructions in places])],
                'fees': [('create', [{'name': FEE[0], 'product': fee.id,
                                'basis': 'order', 'payer': 'customer',
                                'amount': FEE[1]}])],
                }], get_config().context)
    cycle = Cycle(cycle_id)
    cycle.click('open')
    return cycle


def _places(company):
    "The pickup places of the cycles: [(place, instructions, capacity)]."
    Place = Model.get('cocagne.place')
    places = {p.name: p for p in Place.find([('company', '=', company.id),
                ('name', 'in', [n for n, *_ in PICKUPS])])}
    return [(places[n], instructions, capacity)
        for n, capacity, instructions in PICKUPS]


def _create_orders(company, cycle, places, offers, plan, fee):
    """Create in bulk the draft orders of cycle of plan [(party, place
    index, [(offer index, quantity)])] (places and offers as the cycle's),
    each with the customer's fee line as the shop puts it. Return their
    ids."""
    Sale = Model.get('sale.sale')
    config = get_config()
    by_product = {o.product.id: o for o in cycle.offers}
    pickups = {p.place.id: p.id for p in cycle.pickups}
    fees = [f for f in cycle.fees if f.payer == 'customer']
    taxes = _taxes(company, [p for p, *_ in offers] + [fee])
    warehouse = cycle.shop.warehouses[0]
    fee_lines = [{'type': 'line', 'product': f.product.id, 'cycle_fee': f.id,
            'quantity': 1, 'description': f.name, 'unit': fee.sale_uom.id,
            'unit_price': f.amount, 'taxes': [('add', taxes[fee.id])]}
        for f in fees]
    values = []
    for party, place, lines in plan:
        address = party.addresses[0]
        sale_lines = []
        for index, quantity in lines:
            product = offers[index][0]
            offer = by_product[product.id]
            sale_lines.append({'type': 'line', 'offer': offer.id,
                    'product': product.id, 'quantity': quantity,
                    'unit': product.sale_uom.id,
                    'unit_price': offer.unit_price,
                    'taxes': [('add', taxes[product.id])]})
        values.append({'company': company.id, 'party': party.id,
                'invoice_address': address.id,
                'shipment_address': address.id,
                'currency': company.currency.id, 'warehouse': warehouse.id,
                'web_shop': cycle.shop.id,
                'web_id': f'cocagne-bio-{cycle.id}-{party.id}',
                'order_cycle': cycle.id,
                'pickup': pickups[places[place][0].id],
                'invoice_method': 'fulfillment', 'shipment_method': 'order',
                'sale_date': cycle.delivery_date,
                'lines': [('create', sale_lines + fee_lines)]})
    # by chunks: on SQLite, trytond checks the orders' exclusion
    # constraints with one OR clause per order, too deep past a hundred
    return [i for k in range(0, len(values), CHUNK)
        for i in Sale._proxy.create(values[k:k + CHUNK], config.context)]


def _taxes(company, products):
    """{product id: [customer tax id]} of products: their accounting
    category's taxes of company."""
    taxes = {}
    for product in products:
        category = product.template.account_category
        if category.id not in taxes:
            taxes[category.id] = [t.id for t in category.customer_taxes_used
                if t.company.id == company.id]
    return {p.id: taxes[p.template.account_category.id] for p in products}


def _past_cycle(company, shop, offers, fee, members, rng):
    """Last week's cycle: its orders taken, then closed (the orders
    confirmed, the farms' purchases made)."""
    Cycle = Model.get('cocagne.order_cycle')
    delivery = today() - dt.timedelta(days=5)
    cycle = get_or_none('cocagne.order_cycle', [('shop', '=', shop.id),
            ('delivery_date', '=', delivery)])
    offers = offers(delivery, rng)
    places = _places(company)
    customers = rng.sample(members, PAST_ORDERS)
    plan = _orders(offers, [(c, None) for c in customers],
        list(range(len(places))), rng)
    if not cycle:
        cycle = _cycle(company, shop, delivery,
            _utc(delivery - dt.timedelta(days=6), dt.time(8), company),
            _utc(delivery - dt.timedelta(days=2), dt.time(20), company),
            offers, fee, [(p, i) for p, i, _ in places])
    if cycle.state == 'open':
        if not cycle.orders:
            _create_orders(company, cycle, places, offers, plan, fee)
        cycle.click('close')
        cycle = Cycle(cycle.id)
    return cycle


def _settle(cycle, rng):
    """Ship the closed cycle's orders, at the weight packed for the
    weighed goods, on its delivery date; settle the farms and draft their
    invoices."""
    Sale = Model.get('sale.sale')
    Line = Model.get('sale.line')
    Shipment = Model.get('stock.shipment.out')
    Settlement = Model.get('cocagne.order_cycle.settlement')
    config = get_config()
    sales = Sale.find([('order_cycle', '=', cycle.id),
            ('state', 'in', ['confirmed', 'processing'])])
    weighed = Line._proxy.search_read([
            ('sale', 'in', [s.id for s in sales]),
            ('weighed', '=', True), ('actual_weight', '=', None)],
        0, None, [('id', 'ASC')], ['quantity'], config.context)
    if weighed:
        args = []
        for line in weighed:
            args.extend([[line['id']], {'actual_weight': round(
                            line['quantity'] * rng.uniform(0.92, 1.08), 2)}])
        Line._proxy.write(*args, config.context)
    shipments = Shipment.find([
            ('id', 'in', [s.id for sale in sales for s in sale.shipments]),
            ('state', 'not in', ['done', 'cancelled'])])
    if shipments:
        for shipment in shipments:
            shipment.planned_date = shipment.effective_date = (
                cycle.delivery_date)
        Shipment.save(shipments)
        ship(shipments)
    if not cycle.settlements:
        cycle.click('settle_producers')
    drafts = Settlement.find([('cycle', '=', cycle.id),
            ('state', '=', 'draft')])
    if drafts:
        Settlement.click(drafts, 'create_invoice')


def _open_cycle(company, shop, offers, products, fee, members, rng):
    """This week's cycle, open: its orders, a few offers nearly sold out
    and a pickup place nearly full, and the week's baskets."""
    delivery = today() + dt.timedelta(days=3)
    cycle = get_or_none('cocagne.order_cycle', [('shop', '=', shop.id),
            ('delivery_date', '=', delivery)])
    offers = offers(delivery, rng)
    places = _places(company)
    sizes = _sizes(company, products)
    subscribers = rng.sample(members, SUBSCRIPTIONS)
    drops = {m: rng.choices(places, weights=[5, 4, 2])[0][0]
        for m in subscribers}
    solidarity = set(rng.sample(subscribers, SOLIDARITY))
    absent = set(rng.sample(subscribers, ABSENT))
    customers = rng.sample(members, ORDERS)
    # the baskets: the first own products in season
    own = [i for i, (product, _, _) in enumerate(offers)
        if product.template.origin == 'own']
    contents = {size: [(i, quantity if offers[i][0].sale_uom.symbol == 'kg'
                else 1.0) for i in rng.sample(own, min(count, len(own)))]
        for (size, _, _, count, quantity) in SIZES}
    chosen = {m: rng.choice([s for s, *_ in SIZES]) for m in subscribers}
    # the orders at the member's drop point (so that the baskets join them)
    index = {p.name: k for k, (p, *_) in enumerate(places)}
    plan = _orders(offers, [(c, index[drops[c].name]
                if c in drops and c not in absent else None)
            for c in customers], list(range(len(places))), rng)
    caps, capacity = None, None
    if not cycle:
        taken = defaultdict(float)
        for _, _, lines in plan:
            for i, quantity in lines:
                taken[i] += quantity
        for member in subscribers:
            if member not in absent:
                for i, quantity in contents[chosen[member]]:
                    taken[i] += quantity
        capped = rng.sample(range(len(offers)), CAPPED)
        nearly = set(rng.sample(capped, NEARLY_SOLD_OUT))
        caps = {i: _cap(taken[i], offers[i][0].sale_uom.symbol, i in nearly,
                rng) for i in capped}
        # orders collected at each place: the orders and the baskets of
        # the members not ordering
        collected = Counter(pickup for _, pickup, _ in plan)
        ordering = set(customers)
        collected.update(index[drops[m].name] for m in subscribers
            if m not in absent and m not in ordering)
        capacity = {p.id: collected[k] + 2
            for k, (p, _, limited) in enumerate(places) if limited}
        cycle = _cycle(company, shop, delivery,
            dt.datetime.now().replace(microsecond=0)
            - dt.timedelta(days=1),
            _utc(delivery - dt.timedelta(days=1), dt.time(20), company),
            offers, fee, [(p, i) for p, i, _ in places], caps, capacity)
    if not cycle.orders:
        _create_orders(company, cycle, places, offers, plan, fee)
    _subscriptions(company, sizes, subscribers, drops,
        solidarity, absent, chosen, delivery)
    _baskets(cycle, sizes, offers, contents)
    return cycle


def _sizes(company, products):
    "The basket sizes: {name: size}."
    Size = Model.get('cocagne.basket.size')
    existing = {s.name: s for s in Size.find([('company', '=', company.id)])}
    new = [Size(company=company, name=name, product=products[product],
            price=Decimal(price))
        for name, product, price, *_ in SIZES if name not in existing]
    Size.save(new)
    existing.update((s.name, s) for s in new)
    return existing


def _subscriptions(company, sizes, subscribers, drops, solidarity, absent,
        chosen, delivery):
    """The running subscriptions of the members, started months ago, the
    solidarity ones at 50 %, the members away this week with an absence."""
    Subscription = Model.get('cocagne.basket.subscription')
    config = get_config()
    if Subscription.find([('company', '=', company.id)], limit=1):
        return
    values = []
    for number, member in enumerate(subscribers):
        value = {'company': company.id, 'member': member.id,
            'size': sizes[chosen[member]].id, 'drop_point': drops[member].id,
            'start_date': delivery - dt.timedelta(weeks=4 + number % 40),
            'tier': 'normal'}
        if member in solidarity:
            value.update(tier='solidarity', solidarity_rate=SOLIDARITY_RATE)
        if member in absent:
            value['absences'] = [('create', [{
                            'start_date': delivery - dt.timedelta(days=2),
                            'end_date': delivery + dt.timedelta(days=5),
                            'reason': "Vacances"}])]
        values.append(value)
    ids = Subscription._proxy.create(values, config.context)
    Subscription._proxy.run(ids, config.context)


def _baskets(cycle, sizes, offers, contents):
    """The composition of each size in the cycle, and the week's baskets
    generated on the members' orders."""
    Composition = Model.get('cocagne.basket.composition')
    config = get_config()
    existing = {c.size.name for c in Composition.find([
                ('cycle', '=', cycle.id)])}
    values = [{'cycle': cycle.id, 'size': size.id,
            'lines': [('create', [{'product': offers[i][0].id,
                                'quantity': quantity}
                            for i, quantity in contents[name]])]}
        for name, size in sizes.items() if name not in existing]
    if values:
        Composition._proxy.create(values, config.context)
    compositions = Composition.find([('cycle', '=', cycle.id)])
    Composition._proxy.generate([c.id for c in compositions],
        config.context)


def _recurring(company, shop, cycle):
    "The recurring cycle: every week, delivered on Thursday, as cycle."
    Template = Model.get('cocagne.order_cycle.template')
    Day = Model.get('ir.calendar.day')
    thursday = Day(ref('ir', THURSDAY))
    Template(company=company, shop=shop, name=TEMPLATE, model=cycle,
        delivery_weekday=thursday).save()

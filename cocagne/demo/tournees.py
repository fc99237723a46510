"""Rounds of the Rennes garden and six weeks of their runs.

The garden's two vans drive four weekly rounds, one of each kind: the
grocery van of the pays de Liffré on Tuesdays (a till in the van, tickets at
each village, some with a loyal customer), the baskets to the drop points on
Thursdays, the collection at the partner farms on Wednesdays (bought from
the farms, received at the producers' shop) and the canteens and restaurants
on Mondays (their weekly orders, loaded from the légumerie and delivered).
Each round's stops were entered in no particular order and
optimised once. The runs of the last six weeks are reconciled, but the
latest grocery and collection runs, unloaded and waiting to be reconciled;
next week's runs are drafts, the grocery one with its proposed load. A run
on a public holiday is cancelled. Random but seeded: the same day gives the
same demo."""
import datetime as dt
import random
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

from . import tills
from .common import company_context, ref, ship, today
from .network import (
    GARDENS, NETWORK_LOGIN, euro_and_france, load_fiscalyear)
from .producers import PRODUCERS

GARDEN = 'rennes'
SEED = 35
WEEKS = 6
# the name of the van's till, its ticket prefix, and how often each payment
# method is used
TILL = ("Caisse du camion-épicerie du pays de Liffré", 'TK-VN1-')
PAYMENTS = {"Espèces": 0.5, "Carte bancaire": 0.42, "Chèque": 0.08}
# the cash left in the till for the change, the rest goes to the bank
FLOAT = Decimal('100')

GARDEN_PLACE = "Jardin de Thorigné (retrait sur place)"
LEGUMERIE_PLACE = "Légumerie de Cesson-Sévigné"
# name, kind, site, van, weekday (0 Monday), departure (h, min), start and
# end place, minutes at each stop, stops: (place name or farm key, window
# (from, until) or None), in the order first entered
ROUNDS = [
    ("Épicerie itinérante du mardi – pays de Liffré", 'grocery', 'RN-BOU',
        'RN-VN1', '1', (8, 15), GARDEN_PLACE, 35, [
            ("Place de la Mairie de Liffré", None),
            ("Place du Marché de Saint-Aubin-du-Cormier", ((10, 30),
                    (12, 30))),
            ("Place de l'Église de Mouazé", None),
            ("Place de la Mairie de Gosné", None),
            ("Place de l'Église de Saint-Aubin-d'Aubigné", None),
            ("Place de l'Église de La Bouëxière", None),
            ("Place de la Mairie de Chasné-sur-Illet", None),
            ("Place de l'Église de Dourdain", None),
            ("Place de l'Église d'Ercé-près-Liffré", None),
            ("Place de l'Abbaye de Saint-Sulpice-la-Forêt", None),
            ]),
    ("Livraison des paniers du jeudi", 'basket', 'RN-LEG', 'RN-VN2', '3',
        (13, 30), LEGUMERIE_PLACE, 10, [
            ("Maison de quartier de Maurepas", None),
            ("Médiathèque de Liffré", None),
            ("Espace Citoyen de Cesson-Sévigné", None),
            ("Centre social de Villejean", None),
            ("Mairie de Chantepie", ((14, 0), (16, 30))),
            ("Salle polyvalente de Betton", None),
            ("Gare de Noyal-Acigné", None),
            ("Maison des associations de Melesse", None),
            (GARDEN_PLACE, None),
            ]),
    ("Collecte des fermes du mercredi", 'collection', 'RN-BOU', 'RN-VN2',
        '2', (7, 30), GARDEN_PLACE, 20, [
            ('servon', None), ('landes', None), ('sulpice', None),
            ('vilaine', None), ('gosne', ((8, 0), (11, 0))), ('chasne', None),
            ('coglais', None), ('bouexiere', None),
            ]),
    ("Livraison des cantines et restaurants du lundi", 'delivery', 'RN-LEG',
        'RN-VN1', '0', (6, 45), LEGUMERIE_PLACE, 10, [
            ("EHPAD de Betton", ((9, 0), (11, 0))),
            ("Restaurant scolaire de l'école du Bourg d'Acigné", (None,
                    (8, 0))),
            ("Restaurant Le Potager à Rennes", ((10, 0), (11, 30))),
            ("Crèche municipale de Chantepie", None),
            ("Cuisine centrale de Cesson-Sévigné", (None, (8, 30))),
            ("Restaurant du collège de Liffré", None),
            ("Restaurant scolaire de Thorigné-Fouillard", (None, (9, 0))),
            ("Restaurant d'entreprises d'Atalante Beaulieu", None),
            ]),
    ]
# the grocery van's customers with a loyalty card: name, village of the stop
# where they shop
LOYAL = [
    ("Martine Le Goff", "Liffré"), ("Yannick Briand", "Gosné"),
    ("Soizic Rouxel", "La Bouëxière"),
    ("Jean-Yves Hamon", "Saint-Aubin-d'Aubigné"),
    ("Nathalie Pichon", "Ercé-près-Liffré"),
    ("Gwenaël Morvan", "Saint-Aubin-du-Cormier"),
    ("Anne-Laure Lebreton", "Chasné-sur-Illet"),
    ]
# tickets at a stop, lines on a ticket, products loaded, share lost
TICKETS, LINES, PRODUCTS, LOSS = (4, 12), (1, 5), (15, 25), (0.02, 0.05)
QUARTERS = [0.25, 0.5, 0.75, 1, 1, 1.25, 1.5, 2]
# the load exceeds the expected sales by this factor (a few sell out)
LOAD_MARGIN = (0.95, 1.35)
# vegetables on an order of a canteen or restaurant and their kilograms
ORDER_LINES, ORDER_KILOGRAMS = (2, 4), (4, 20)
# products of the farms collected at a stop and their quantities by unit
COLLECTED, COLLECTED_QUANTITIES = (1, 3), {'u': (12, 48), 'kg': (4, 15)}
# fixed-date public holidays (month, day): no run on these days
HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11),
    (12, 25)}


def load_cashiers():
    """The gardens' teams and the network office make the tickets of the
    vans' tills."""
    User = Model.get('res.user')
    Group = Model.get('res.group')
    group = ref('sale_point', 'group_sale_point')
    users = [u for u in User.find([('login', 'in',
                    [g[-1] for g in GARDENS] + [NETWORK_LOGIN])])
        if group not in {g.id for g in u.groups}]
    for user in users:
        user.groups.append(Group(group))
    User.save(users)


def load_tournees(gardens):
    "The rounds and runs of the Rennes garden, unless it has rounds."
    Round = Model.get('cocagne.round')
    company = gardens[GARDEN]
    load_cashiers()
    if Round.find([('company', '=', company.id),
                ('active', 'in', [True, False])], limit=1):
        return
    config = get_config()
    # the receipts into the sites have no purchase behind
    skip, config.skip_warning = config.skip_warning, True
    try:
        with company_context(company):
            rng = random.Random(SEED)
            # the first runs may fall in the previous year
            load_fiscalyear(company, today() - dt.timedelta(weeks=WEEKS))
            till, methods = _till(company)
            rounds, farms = _rounds(company, till)
            _runs(company, rounds, farms, till, methods, rng)
    finally:
        config.skip_warning = skip


def _dates(weekday):
    """The dates of the round's weekday in the last WEEKS weeks, before
    today, and the next one (today or later)."""
    last = today() - dt.timedelta(
        days=(today().weekday() - int(weekday) - 1) % 7 + 1)
    return [last - dt.timedelta(weeks=w) for w in range(WEEKS - 1, -1, -1)
        ] + [last + dt.timedelta(weeks=1)]


def _till(company):
    """The till of the grocery van: it sells from the van's storage, its
    tickets numbered by a sequence of their own, paid in cash, by card or by
    cheque."""
    Location = Model.get('stock.location')
    van, = Location.find([('code', '=', ROUNDS[0][3])])
    point = tills.load_till(company, *TILL, van.storage_location)
    return point, [m for m in tills.load_methods(company)
        if m.name in PAYMENTS]


def _places(company):
    """The garden's places by name, and a place at each partner farm of
    the collection round by farm key (the farm's yard, at its address)."""
    Place = Model.get('cocagne.place')
    Party = Model.get('party.party')
    _, france = euro_and_france()
    places = {p.name: p for p in Place.find([('company', '=', company.id)])}
    farms = {row[1]: row[0] for row in PRODUCERS[GARDEN]}
    parties = {}
    new = []
    for party in Party.find([('producer', '=', True),
                ('company', '=', company.id),
                ('name', 'in', list(farms))]):
        key = farms[party.name]
        parties[key] = party
        name = f"Cour de la ferme – {party.name}"
        if name in places:
            places[key] = places[name]
            continue
        address = party.addresses[0]
        place = Place(kind='customer_site', name=name, company=company,
            street=address.street, postal_code=address.postal_code,
            city=address.city, country=france, latitude=address.latitude,
            longitude=address.longitude,
            comment="Collecte du mercredi : quai de chargement")
        new.append((key, place))
    Place.save([p for _, p in new])
    places.update(new)
    return places, parties


def _customers(company, places, names):
    """The customers delivered at the places of names, created at the
    place's address when missing. Return {place name: party}."""
    Party = Model.get('party.party')
    existing = {p.name: p for p in Party.find([
                ('name', 'in', names), ('company', '=', company.id)])}
    new = []
    for name in names:
        if name in existing:
            continue
        place = places[name]
        party = Party(name=name, company=company)
        address, = party.addresses
        address.street, address.postal_code = place.street, place.postal_code
        address.city, address.country = place.city, place.country
        new.append(party)
    Party.save(new)
    existing.update((p.name, p) for p in new)
    return existing


def _time(value):
    return dt.time(*value) if value else None


def _rounds(company, till):
    """The four rounds, their stops in the order entered, then optimised
    all at once."""
    Round = Model.get('cocagne.round')
    Location = Model.get('stock.location')
    Employee = Model.get('company.employee')
    places, farms = _places(company)
    deliveries = [s for r in ROUNDS if r[1] == 'delivery' for s, _ in r[8]]
    customers = _customers(company, places, deliveries)
    sites = {l.code: l for l in Location.find([
                ('code', 'in', list({r[i] for r in ROUNDS for i in (2, 3)}))])}
    drivers = Employee.find([('company', '=', company.id)],
        order=[('id', 'ASC')], limit=len(ROUNDS))
    rounds = []
    for i, (name, kind, site, van, weekday, departure, start, minutes,
            stops) in enumerate(ROUNDS):
        round_ = Round(name=name, kind=kind, company=company,
            site=sites[site], van=sites[van], weekdays=[weekday],
            departure=dt.time(*departure), start_place=places[start],
            end_place=places[start])
        if kind == 'grocery':
            round_.sale_point = till
        if drivers:
            round_.driver = drivers[i % len(drivers)]
        for place, window in stops:
            stop = round_.stops.new(place=places[place],
                stop_time=dt.timedelta(minutes=minutes))
            stop.party = farms.get(place) or customers.get(place)
            if window:
                stop.window_start, stop.window_end = map(_time, window)
        rounds.append(round_)
    Round.save(rounds)
    Round.click(rounds, 'optimise')
    return Round.find([('id', 'in', [r.id for r in rounds])],
        order=[('id', 'ASC')]), farms


def _runs(company, rounds, farms, till, methods, rng):
    """Six weeks of runs of each round and next week's drafts: the grocery
    van loaded, selling and coming back with its returns and losses, the
    farms' produce collected; all reconciled but the latest grocery and
    collection runs."""
    Run = Model.get('cocagne.round.run')
    products = _products(company, till, today())
    farm_products = _farm_products(company, farms)
    runs, plans = [], {}
    for round_ in rounds:
        for date in _dates(round_.weekdays[0]):
            run = Run(round=round_, date=date)
            if (date.month, date.day) in HOLIDAYS:
                pass
            elif date < today() and round_.kind == 'collection':
                _collect(run, farm_products, rng)
            elif date < today() and round_.kind == 'grocery':
                plans[round_.id, date] = plan = _plan(run, products, rng)
                for product, quantity in plan['load'].items():
                    run.lines.new(product=product, loaded_quantity=quantity)
            runs.append(run)
    Run.save(runs)

    cancelled = [r for r in runs if (r.date.month, r.date.day) in HOLIDAYS]
    if cancelled:
        Run.click(cancelled, 'cancel')
    past = [r for r in runs if r.date < today() and r not in cancelled]
    deliveries = [r for r in runs if r.round.kind == 'delivery'
        and r not in cancelled]
    shipments = _orders(company, deliveries, rng)
    if deliveries:
        Run.click(deliveries, 'propose_load')
    past = Run.find([('id', 'in', [r.id for r in past])],
        order=[('date', 'ASC'), ('id', 'ASC')])
    _stock(company, [r for r in past
            if r.round.kind in {'grocery', 'delivery'}])
    Run.click(past, 'load')
    Run.click(past, 'start')
    _deliver([s for s in shipments if s.planned_date < today()])
    customers = _loyal(company)
    for run in past:
        if run.round.kind == 'grocery':
            _sell(company, run, plans[run.round.id, run.date], till,
                methods, products, customers, rng)
    for run in past:
        if run.round.kind == 'delivery':
            # every order delivered, nothing comes back
            for line in run.lines:
                line.returned_quantity = 0
    Run.save(past)
    Run.click(past, 'unload')
    latest = {}
    for run in past:
        if run.round.kind in {'grocery', 'collection'}:
            latest[run.round.id] = max(latest.get(run.round.id, run), run,
                key=lambda r: r.date)
    Run.click([r for r in past if r not in latest.values()], 'reconcile')
    drafts = [r for r in runs if r.date >= today()
        and r.round.kind == 'grocery']
    if drafts:
        Run.click(drafts, 'propose_load')


def _products(company, till, date):
    """What the van may sell: the garden's salable goods (not those cut for
    the canteens) and the network's, with their price on the till (tax
    included). Return {product: (gross price, unit price, months)}."""
    Template = Model.get('product.template')
    templates = Template.find([('salable', '=', True), ('type', '=', 'goods'),
            ('company', 'in', [company.id, None]),
            ('name', 'not ilike', '%restauration collective%')],
        order=[('name', 'ASC')])
    prices = tills.prices(till, [t.products[0] for t in templates], date)
    return {t.products[0]: (*prices[t.products[0]], t.season_months or [])
        for t in templates}


def _farm_products(company, farms):
    "The purchasable goods of each farm by farm party id."
    Template = Model.get('product.template')
    result = {}
    for template in Template.find([
                ('producer', 'in', [f.id for f in farms.values()]),
                ('purchasable', '=', True), ('type', '=', 'goods')],
            order=[('name', 'ASC')]):
        result.setdefault(template.producer.id, []).append(
            template.products[0])
    return result


def _collect(run, farm_products, rng):
    """What the van takes at each farm: a few of the farm's products in
    season, at their cost price, now and then a little less."""
    for stop in run.stops:
        month = f'{run.date.month:02d}'
        offer = [p for p in farm_products.get(stop.party.id, [])
            if not p.template.season_months
            or month in p.template.season_months]
        for product in rng.sample(offer,
                min(len(offer), rng.randint(*COLLECTED))):
            low, high = COLLECTED_QUANTITIES.get(
                product.default_uom.symbol, (4, 15))
            collected = stop.collected.new()
            collected.product = product
            collected.quantity = float(rng.randint(low, high))
            # the farms have no price list: the price agreed on the spot
            collected.unit_price = (product.cost_price * Decimal(
                    rng.choice(['1', '1', '1', '0.95', '0.9']))).quantize(
                Decimal('0.01'))


def _orders(company, runs, rng):
    """The orders of the canteens and restaurants delivered by runs: a sale
    per stop to be shipped on the run's date from the round's site, of a
    few of the garden's vegetables in season. Return their shipments."""
    Sale = Model.get('sale.sale')
    Shipment = Model.get('stock.shipment.out')
    Template = Model.get('product.template')
    vegetables = Template.find([('company', '=', company.id),
            ('origin', '=', 'own'), ('salable', '=', True),
            ('default_uom.symbol', '=', 'kg')], order=[('name', 'ASC')])
    sales = []
    for run in runs:
        month = f'{run.date.month:02d}'
        offer = [t.products[0] for t in vegetables
            if not t.season_months or month in t.season_months]
        for stop in run.stops:
            sale = Sale(party=stop.party, sale_date=run.date,
                warehouse=run.round.site)
            for product in rng.sample(offer, min(len(offer), rng.randint(
                            *ORDER_LINES))):
                line = sale.lines.new()
                line.product = product
                line.quantity = float(rng.randint(*ORDER_KILOGRAMS))
            sales.append(sale)
    Sale.save(sales)
    Sale.click(sales, 'quote')
    Sale.click(sales, 'confirm')
    # the sales of the past weeks would be shipped today at the earliest
    shipments = []
    for sale in Sale.find([('id', 'in', [s.id for s in sales])]):
        for shipment in sale.shipments:
            shipment.planned_date = sale.sale_date
            shipments.append(shipment)
    Shipment.save(shipments)
    return shipments


def _deliver(shipments):
    "The shipments delivered by the runs, picked at the site that morning."
    Shipment = Model.get('stock.shipment.out')
    for shipment in shipments:
        shipment.effective_date = shipment.planned_date
    Shipment.save(shipments)
    ship(shipments)


def _in_season(products, date):
    month = f'{date.month:02d}'
    return [p for p, (*_, months) in products.items()
        if not months or month in months]


def _quantity(rng, product, price):
    """A customer's quantity of product at price (tax included): kilograms
    by quarters (exact in binary: the run's sums of floats stay exact)."""
    if product.default_uom.symbol == 'kg':
        return rng.choice(QUARTERS[:2] if price > 10 else QUARTERS)
    return rng.choices([1, 2, 3], weights=[7, 2, 1])[0]


def _round(quantity, product):
    "Quantity rounded to a quarter kilogram or to a whole unit."
    if product.default_uom.symbol == 'kg':
        return round(quantity * 4) / 4
    return round(quantity)


def _plan(run, products, rng):
    """The tickets of each stop (lines of product and quantity) and the
    load: the expected sales with a margin, some products selling out."""
    offer = _in_season(products, run.date)
    chosen = rng.sample(offer, min(len(offer), rng.randint(*PRODUCTS)))
    tickets = {}
    demand = {p: 0 for p in chosen}
    for index, _ in enumerate(run.stops):
        tickets[index] = []
        for _ in range(rng.randint(*TICKETS)):
            lines = {}
            for product in rng.sample(chosen,
                    min(len(chosen), rng.randint(*LINES))):
                lines[product] = _quantity(rng, product, products[product][0])
                demand[product] += lines[product]
            tickets[index].append(lines)
    load = {}
    for product, quantity in demand.items():
        quantity *= rng.uniform(*LOAD_MARGIN)
        load[product] = max(_round(quantity, product), 1)
    return {'tickets': tickets, 'load': load}


def _stock(company, runs):
    """The morning's stock at the site of each run, what the van loads: the
    garden's produce from its fields and workshop, the rest from the farms
    and suppliers."""
    Move = Model.get('stock.move')
    Location = Model.get('stock.location')
    supplier, = Location.find([('code', '=', 'SUP')])
    values = []
    for run in runs:
        site = run.round.site
        for line in run.lines:
            own = line.product.template.origin in {'own', 'processed'}
            values.append({'product': line.product.id,
                    'quantity': line.loaded_quantity,
                    'unit': line.product.default_uom.id,
                    'from_location': (site.production_location if own
                        else supplier).id,
                    'to_location': site.storage_location.id,
                    'effective_date': run.date,
                    'unit_price': line.product.cost_price,
                    'currency': company.currency.id, 'company': company.id})
    # many moves: created in one call rather than one record at a time
    ids = Move._proxy.create(values, get_config().context)
    Move.click([Move(i) for i in ids], 'do')


def _loyal(company):
    "The loyal customers of the grocery van by village."
    Party = Model.get('party.party')
    _, france = euro_and_france()
    names = [n for n, _ in LOYAL]
    existing = {p.name: p for p in Party.find([
                ('name', 'in', names), ('company', '=', company.id)])}
    new = []
    for name, city in LOYAL:
        if name not in existing:
            party = Party(name=name, company=company)
            party.addresses[0].city = city
            party.addresses[0].country = france
            new.append(party)
    Party.save(new)
    existing.update((p.name, p) for p in new)
    return {city: existing[name] for name, city in LOYAL}


def _sell(company, run, plan, till, methods, products, customers, rng):
    """The tickets of the run at its stops, paid and done, within the load
    (a product sold out is not sold any more); the cash counted at the end
    of the day, the till's float kept and the rest taken to the bank; the
    returns and a small loss counted back at the site."""
    Sale = Model.get('sale.point.sale')
    config = get_config()
    left = {l.product.id: l.loaded_quantity for l in run.lines}
    values = []
    for index, stop in enumerate(run.stops):
        loyal = customers.get(stop.place.city)
        for number, lines in enumerate(plan['tickets'][index]):
            sale_lines, total = [], Decimal(0)
            for product, quantity in lines.items():
                quantity = min(quantity, left[product.id])
                if quantity <= 0:
                    continue
                left[product.id] -= quantity
                gross, price, _ = products[product]
                sale_lines.append({'product': product.id,
                        'quantity': quantity, 'unit_gross_price': gross,
                        'unit_list_price': price})
                total += (Decimal(str(quantity)) * gross).quantize(
                    Decimal('0.01'))
            if not sale_lines:
                continue
            method = rng.choices(methods,
                weights=[PAYMENTS[m.name] for m in methods])[0]
            ticket = {'company': company.id, 'point': till.id,
                'date': run.date, 'round_stop': stop.id,
                'lines': [('create', sale_lines)],
                'payments': [('create', [{'method': method.id,
                                'amount': total}])]}
            if loyal and number in {0, 5}:
                ticket['customer'] = loyal.id
            values.append(ticket)
    ids = Sale._proxy.create(values, config.context)
    Sale._proxy.process(ids, config.context)
    tills.close_session(company, till, run.date, FLOAT)
    for line in run.lines:
        loss = min(_round(line.loaded_quantity * rng.uniform(*LOSS),
                line.product), left[line.product.id])
        line.returned_quantity = left[line.product.id] - loss

"""Processing in the Lyon garden: its vegetable processing unit and its
cannery, six recipes (a vegetable stock used in a soup), twelve batches of
the last four weeks with their lots."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

from .common import company_context, get_or_none, ship, today
from .products import FOOD, SUPPLIES

GARDEN = 'lyon'
SITES = {'LY-LEG': Decimal('16.50'), 'LY-CON': Decimal('17.80')}
BOUGHT = [
    # name, unit, agricultural, packaging, allergens
    ("Eau", 'kg', False, False, []),
    ("Sel de Guérande", 'kg', False, False, []),
    ("Huile d'olive", 'kg', True, False, []),
    ("Basilic", 'kg', True, False, []),
    ("Purée de sésame", 'kg', True, False, ['sesame']),
    ("Bocal 370 ml", 'u', False, True, []),
    ("Bouteille 50 cl", 'u', False, True, []),
    ("Sachet sous vide 2 kg", 'u', False, True, []),
    ]
PROCESSED = [
    ("Bouillon de légumes", 'kg', []),
    ("Soupe de légumes au bouillon 50 cl", 'u', ['celery']),
    ("Courgettes en rondelles (restauration collective)", 'kg', []),
    ]
# name, site, output (product, quantity), yield, labour minutes, shelf
# life, date kind, net quantity (g), storage, inputs (product, kg, flags)
RECIPES = [
    ("Ratatouille", 'LY-CON', ("Ratatouille 370 g", 40), 0.62, 150, 365,
        'ddm', 370, "À conserver à température ambiante ; après ouverture, "
        "au réfrigérateur et à consommer sous 3 jours", [
            ("Tomate ronde", 9, ''), ("Courgette", 6, ''),
            ("Aubergine", 5, ''), ("Poivron", 3, ''),
            ("Oignon rouge", 1.5, ''), ("Huile d'olive", 0.4, ''),
            ("Sel de Guérande", 0.1, ''), ("Bocal 370 ml", 40, 'packaging'),
            ]),
    ("Sauce tomate au basilic", 'LY-CON', ("Sauce tomate au basilic 350 g",
            40), 0.58, 120, 365, 'ddm', 350,
        "À conserver à température ambiante", [
            ("Tomate ronde", 22, ''), ("Oignon rouge", 1.5, ''),
            ("Basilic", 0.3, 'quid'), ("Huile d'olive", 0.3, ''),
            ("Sel de Guérande", 0.1, ''), ("Bocal 370 ml", 40, 'packaging'),
            ]),
    ("Caviar d'aubergine", 'LY-CON', ("Caviar d'aubergine au sésame 180 g",
            50), 0.6, 110, 21, 'dlc', 180,
        "À conserver entre 0 et 4 °C", [
            ("Aubergine", 14, 'quid'), ("Huile d'olive", 0.6, ''),
            ("Purée de sésame", 0.5, ''), ("Oignon rouge", 0.4, ''),
            ("Sel de Guérande", 0.05, ''),
            ("Bocal 370 ml", 50, 'packaging'),
            ]),
    ("Bouillon de légumes", 'LY-CON', ("Bouillon de légumes", 20), 0.7, 60,
        3, 'dlc', None, "À conserver entre 0 et 4 °C", [
            ("Eau", 20, 'water'), ("Céleri-rave", 3, ''),
            ("Oignon rouge", 2, ''), ("Poivron", 2, ''),
            ("Sel de Guérande", 0.2, ''),
            ]),
    ("Soupe de légumes au bouillon", 'LY-CON', (
            "Soupe de légumes au bouillon 50 cl", 30), 0.75, 90, 5, 'dlc',
        500, "À conserver entre 0 et 4 °C", [
            ("Bouillon de légumes", 10, ''), ("Courgette", 6, ''),
            ("Tomate ronde", 4, ''), ("Bouteille 50 cl", 30, 'packaging'),
            ]),
    ("Courgettes en rondelles", 'LY-LEG', (
            "Courgettes en rondelles (restauration collective)", 17), 0.85,
        45, 3, 'dlc', 2000, "À conserver entre 0 et 4 °C", [
            ("Courgette", 20, ''), ("Sachet sous vide 2 kg", 9, 'packaging'),
            ]),
    ]
# recipe, days ago, yield drift
BATCHES = [
    ("Bouillon de légumes", 26, 0.02), ("Soupe de légumes au bouillon", 25, -0.03),
    ("Ratatouille", 24, 0.01), ("Courgettes en rondelles", 22, -0.02),
    ("Sauce tomate au basilic", 19, 0.0), ("Caviar d'aubergine", 16, 0.03),
    ("Bouillon de légumes", 12, -0.01), ("Soupe de légumes au bouillon", 11, 0.02),
    ("Ratatouille", 8, -0.02), ("Courgettes en rondelles", 5, 0.01),
    ("Sauce tomate au basilic", 3, 0.02), ("Caviar d'aubergine", 2, -0.01),
    ]


# the garden's own organic certificate (control body, number, scope, days
# since, days left), which its labels name beside the EU logo
GARDEN_CERTIFICATE = ('FR-BIO-01', '69-2018-0457', ['crops', 'processing'],
    610, 120)


def load_transformation(gardens):
    "The recipes, batches and lots of the Lyon garden, unless it has some."
    BOM = Model.get('production.bom')
    company = gardens[GARDEN]
    if BOM.find([('company', '=', company.id), ('site', '!=', None)],
            limit=1):
        return
    config = get_config()
    # the demo's receipts have no purchase behind
    skip, config.skip_warning = config.skip_warning, True
    try:
        with company_context(company):
            _certify(company)
            _load(company)
            _sell_lots(company)
            _harvests(company)
            _cold_rooms(company, gardens)
            _toll(company)
    finally:
        config.skip_warning = skip


def _load(company):
    sites = _sites(company)
    products = _products(company)
    recipes = _recipes(company, sites, products)
    for name, days, drift in BATCHES:
        _batch(company, recipes[name], today() - dt.timedelta(days=days),
            drift)


def _certify(company):
    "Certify the garden itself organic, for its crops and its processing."
    Certificate = Model.get('cocagne.organic.certificate')
    Certifier = Model.get('cocagne.organic.certifier')
    party = company.party
    if Certificate.find([('producer', '=', party.id)]):
        return
    # a producer belongs to a garden: the garden's own party to itself
    party.producer = True
    party.company = company
    party.save()
    code, number, scope, since, until = GARDEN_CERTIFICATE
    certifier, = Certifier.find([('code', '=', code)])
    Certificate(company=company, producer=party, certifier=certifier,
        number=number, scope=scope,
        valid_from=today() - dt.timedelta(days=since),
        valid_to=today() + dt.timedelta(days=until)).save()


def _sites(company):
    "The processing sites, with their workshop and hourly labour cost."
    Location = Model.get('stock.location')
    sites = {}
    for code, rate in SITES.items():
        site, = Location.find([('code', '=', code)])
        if not site.production_location:
            workshop = Location(name=f"Atelier – {site.name}",
                type='production', company=company)
            workshop.save()
            site.production_location = workshop
        site.labour_hourly_cost = rate
        site.save()
        sites[code] = site
    return sites


def _products(company):
    "The products of the recipes by name, creating the missing ones."
    Template = Model.get('product.template')
    Uom = Model.get('product.uom')
    uoms = {u.symbol: u for u in Uom.find([('symbol', 'in', ['kg', 'u'])])}
    food, supplies = (get_or_none('product.category',
            [('name', '=', n), ('accounting', '=', True)])
        for n in (FOOD, SUPPLIES))
    new = []
    for name, unit, agricultural, packaging, allergens in BOUGHT:
        if not get_or_none('product.template', [('name', '=', name),
                    ('company', '=', company.id)]):
            template = Template(name=name, type='goods', origin='bought',
                company=company, agricultural=agricultural,
                organic=agricultural, purchasable=True, allergens=allergens,
                account_category=supplies if packaging else food)
            template.default_uom = uoms[unit]
            template.products[0].cost_price = Decimal(
                '0.01' if name == "Eau" else '0.45' if packaging else '6')
            new.append(template)
    for name, unit, allergens in PROCESSED:
        if not get_or_none('product.template', [('name', '=', name),
                    ('company', '=', company.id)]):
            template = Template(name=name, type='goods', origin='processed',
                company=company, organic=True, allergens=allergens,
                salable=True, list_price=Decimal('4.50'),
                account_category=food)
            template.default_uom = uoms[unit]
            new.append(template)
    Template.save(new)
    templates = Template.find([('company', '=', company.id)])
    for template in templates:
        if template.origin in {'own', 'processed'}:
            template.producible = True
    Template.save(templates)
    return {t.name: t.products[0] for t in templates}


def _recipes(company, sites, products):
    BOM = Model.get('production.bom')
    ProductBom = Model.get('product.product-production.bom')
    recipes = {}
    for (name, site, (output, quantity), expected, minutes, shelf_life,
            kind, net, storage, inputs) in RECIPES:
        recipe = BOM(name=name, company=company, site=sites[site],
            sales_name=f"{name} bio", expected_yield=expected,
            labour_minutes=minutes, shelf_life=shelf_life, date_kind=kind,
            storage_conditions=storage, nutrition_exempt=True)
        if net:
            recipe.net_quantity, recipe.net_quantity_unit = net, 'g'
        for product, amount, flag in inputs:
            recipe.inputs.new(product=products[product], quantity=amount,
                packaging=flag == 'packaging', added_water=flag == 'water',
                quid=flag == 'quid')
        recipe.outputs.new(product=products[output], quantity=quantity)
        recipe.save()
        ProductBom(product=products[output], bom=recipe).save()
        recipes[name] = recipe
    return recipes


def _batch(company, recipe, date, drift):
    """A batch of recipe made on date from fresh lots of its raw
    ingredients, its output drifting from the expected yield."""
    Production = Model.get('production')
    Move = Model.get('stock.move')
    Lot = Model.get('stock.lot')
    Location = Model.get('stock.location')
    supplier, = Location.find([('code', '=', 'SUP')])
    site = recipe.site
    output, = recipe.outputs
    batch = Production(warehouse=site)
    batch.product = output.product
    batch.bom = recipe
    batch.quantity = output.quantity
    batch.effective_date = date
    batch.planned_date = date
    for move in batch.inputs:
        product = move.product
        lot = None
        if product.template.origin == 'processed':
            # the stock made earlier: its latest lot
            lots = Lot.find([('product', '=', product.id)],
                order=[('id', 'DESC')], limit=1)
            lot = lots[0] if lots else None
        elif product.template.origin == 'own':
            lot = Lot(number=f"R-{date:%y%m%d}-{product.id}",
                product=product, production_date=date)
            lot.save()
        if not lot or product.template.origin == 'own':
            receipt = Move(product=product, quantity=move.quantity,
                unit=move.unit, lot=lot, from_location=supplier,
                to_location=site.storage_location, effective_date=date,
                unit_price=product.cost_price, currency=company.currency)
            receipt.click('do')
        move.lot = lot
    # the weight of the output, from the yield of the recipe
    input_weight = sum(
        m.quantity for m in batch.inputs if m.unit.symbol == 'kg')
    planned = recipe.expected_yield * input_weight
    actual = (recipe.expected_yield + drift) * input_weight
    batch.outputs[0].quantity = round(
        batch.outputs[0].quantity * actual / planned, 0)
    batch.click('wait')
    batch.click('assign_force')
    batch.click('run')
    batch.click('do')


# the garden's customers of processed food: name, street, postal code, city
CUSTOMERS = [
    ("Restaurant scolaire de l'école Jean-Moulin", "10 rue Jean-Moulin",
        '69230', "Saint-Genis-Laval"),
    ("Cuisine centrale de Givors", "Rue Joseph-Faure", '69700', "Givors"),
    ("Épicerie du Marché de Brignais", "2 place de Verdun", '69530',
        "Brignais"),
    ]
# lots sold: recipe, which of its batches (0: the first), customer,
# quantity, days after the batch (within the use-by date)
SALES = [
    ("Courgettes en rondelles", 0,
        "Restaurant scolaire de l'école Jean-Moulin", 10, 1),
    ("Courgettes en rondelles", 1, "Cuisine centrale de Givors", 12, 1),
    ("Soupe de légumes au bouillon", 0, "Cuisine centrale de Givors", 20, 2),
    ("Ratatouille", 0, "Épicerie du Marché de Brignais", 12, 3),
    ("Caviar d'aubergine", 1, "Épicerie du Marché de Brignais", 10, 1),
    ]


def _sell_lots(company):
    """Sell lots of some batches: sales confirmed the days after the batch,
    whose shipments left with the lots, so that a recall finds customers."""
    Party = Model.get('party.party')
    Production = Model.get('production')
    Sale = Model.get('sale.sale')
    customers = {}
    for name, street, postal_code, city in CUSTOMERS:
        party = Party(name=name, company=company)
        address = (party.addresses[0] if party.addresses
            else party.addresses.new())
        address.street, address.postal_code, address.city = (
            street, postal_code, city)
        party.save()
        customers[name] = party
    for recipe, index, customer, quantity, days in SALES:
        batches = Production.find([
                ('company', '=', company.id), ('bom.name', '=', recipe),
                ('state', '=', 'done')],
            order=[('effective_date', 'ASC'), ('id', 'ASC')])
        output, = [m for m in batches[index].outputs if m.lot]
        date = batches[index].effective_date + dt.timedelta(days=days)
        sale = Sale(party=customers[customer], sale_date=date,
            warehouse=batches[index].warehouse)
        line = sale.lines.new()
        line.product = output.product
        line.quantity = quantity
        sale.click('quote')
        sale.click('confirm')
        shipment, = sale.shipments
        shipment.effective_date = date
        for move in shipment.inventory_moves:
            move.lot = output.lot
        shipment.save()
        ship([shipment])


# harvests: days back, the share of the day's vegetables picked
HARVEST_DAYS = 28
# the harvest's kg (or count) range by unit symbol
HARVEST_QUANTITIES = {'kg': (6, 45), 'u': (24, 90), 'botte': (20, 60)}
# cold rooms: code, name, site, minimum, maximum (°C)
COLD_ROOMS = [
    ('LY-LEG-CF', "Chambre froide positive", 'LY-LEG', 0, 4),
    ('LY-CON-CF', "Chambre froide des produits finis", 'LY-CON', 0, 3),
    ]
# (room code, days ago, reading of the day (0 morning, 1 afternoon)):
# temperature out of range and what was done
OUT_OF_RANGE = {
    ('LY-LEG-CF', 23, 1): (6.4, "Porte restée entrouverte après la "
        "livraison ; refermée, contrôle à 17 h : 3,8 °C"),
    ('LY-LEG-CF', 15, 0): (-0.8, "Thermostat déréglé ; remis à 2 °C"),
    ('LY-LEG-CF', 6, 1): (5.6, "Chargement de 400 kg de courgettes "
        "encore chaudes ; recontrôle à 18 h : 3,9 °C"),
    ('LY-CON-CF', 18, 1): (4.7, "Dégivrage en cours ; recontrôle à "
        "17 h 30 : 2,6 °C"),
    ('LY-CON-CF', 3, 0): (5.2, "Groupe froid en panne ; frigoriste "
        "appelé, produits déplacés à la légumerie"),
    }
# (room code, days ago) without any reading
MISSED = {('LY-CON-CF', 12), ('LY-LEG-CF', 9)}
READING_HOURS = [(8, 0), (16, 30)]


def _harvests(company):
    """Four weeks of harvests from the garden's plots, most days but
    Sunday, of its own vegetables in season, put into stock at the
    vegetable processing unit (and some at the logistics platform)."""
    import random
    Harvest = Model.get('cocagne.harvest')
    Location = Model.get('stock.location')
    Template = Model.get('product.template')
    Employee = Model.get('company.employee')
    if Harvest.find([('company', '=', company.id)], limit=1):
        return
    plots = get_or_none('stock.location', [
            ('type', '=', 'warehouse'), ('site_kind', '=', 'plots'),
            ('company', '=', company.id)])
    if not plots:
        plots = Location(name="Parcelles de Brignais", code='LY-PAR',
            type='warehouse', site_kind='plots', company=company)
        plots.save()
    legumerie, = Location.find([('code', '=', 'LY-LEG')])
    platform = get_or_none('stock.location', [('code', '=', 'LY-LOG')])
    templates = Template.find([('company', '=', company.id),
            ('origin', '=', 'own'), ('type', '=', 'goods')],
        order=[('name', 'ASC')])
    team = Employee.find([('company', '=', company.id)],
        order=[('id', 'ASC')], limit=4)
    rng = random.Random(7)
    harvests = []
    for days in range(HARVEST_DAYS, 0, -1):
        date = today() - dt.timedelta(days=days)
        if date.weekday() == 6:
            continue
        month = f'{date.month:02d}'
        in_season = [t for t in templates
            if not t.season_months or month in t.season_months]
        for template in rng.sample(in_season or templates,
                min(4, len(in_season or templates))):
            low, high = HARVEST_QUANTITIES.get(
                template.default_uom.symbol, (5, 30))
            quantity = rng.uniform(low, high)
            if template.default_uom.symbol != 'kg':
                quantity = round(quantity)
            site = (platform if platform and rng.random() < 0.2
                else legumerie)
            harvests.append(Harvest(date=date, product=template.products[0],
                    quantity=round(quantity, 1), plot=plots, site=site,
                    harvester=rng.choice(team) if team else None))
    Harvest.save(harvests)
    Harvest.click(harvests, 'do')


def _utc(date, hour, minute, timezone):
    "The naive UTC time of hour:minute on date in timezone."
    from zoneinfo import ZoneInfo
    local = dt.datetime.combine(date, dt.time(hour, minute),
        tzinfo=ZoneInfo(timezone or 'UTC'))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _cold_rooms(company, gardens):
    """The cold rooms of the vegetable processing unit and the cannery and
    a month of their readings, twice a day, a few out of range and two days
    missed; then the evening's check runs once, as the scheduler would, and
    reports the cannery's room not read yet today."""
    import random
    Location = Model.get('stock.location')
    Reading = Model.get('cocagne.cold_room.reading')
    Employee = Model.get('company.employee')
    Cron = Model.get('ir.cron')
    if Location.find([('cold_room', '=', True),
                ('code', 'in', [c[0] for c in COLD_ROOMS])], limit=1):
        return
    rooms = []
    for code, name, site_code, minimum, maximum in COLD_ROOMS:
        site, = Location.find([('code', '=', site_code)])
        rooms.append(Location(name=f"{name} – {site.name}", code=code,
                type='storage', parent=site.storage_location,
                cold_room=True, temperature_min=minimum,
                temperature_max=maximum))
    Location.save(rooms)
    team = Employee.find([('company', '=', company.id)],
        order=[('id', 'ASC')], limit=3)
    rng = random.Random(11)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    readings = []
    for days in range(30, -1, -1):
        date = today() - dt.timedelta(days=days)
        for room in rooms:
            if (room.code, days) in MISSED:
                continue
            for i, (hour, minute) in enumerate(READING_HOURS):
                time = _utc(date, hour, minute + rng.randint(0, 20),
                    company.timezone)
                if time > now or (days == 0 and room.code == 'LY-CON-CF'):
                    # today the cannery's room is not read yet
                    continue
                middle = (room.temperature_min + room.temperature_max) / 2
                temperature = round(middle + rng.uniform(-1.2, 1.2), 1)
                action = None
                if (room.code, days, i) in OUT_OF_RANGE:
                    temperature, action = OUT_OF_RANGE[room.code, days, i]
                readings.append(Reading(location=room, time=time,
                        temperature=temperature, corrective_action=action,
                        employee=rng.choice(team) if team else None))
    Reading.save(readings)
    cron, = Cron.find([
            ('method', '=', 'cocagne.cold_room.reading|report_missing')])
    registered = {c.id for c in cron.companies}
    cron.companies.extend(Model.get('company.company')(c.id)
        for c in gardens.values() if c.id not in registered)
    cron.save()
    cron.click('run_once')


# Toll processing: the tomatoes of a partner farm made into sauce at the
# cannery for the farm, invoiced per kg received (service, price per kg)
TOLL_FARM = "Moulin de la Dombes"
TOLL_RECIPE = "Sauce tomate au basilic"
TOLL_SERVICE = ("Mise en bocaux à façon (au kg reçu)", Decimal('0.90'))
# the farm's own lot numbers and their kilograms of tomatoes
TOLL_LOTS = [("MD-T-0714", 26), ("MD-T-0715", 18)]
TOLL_DAYS = 6  # since the tomatoes came in
TOLL_JARS = 76  # jars made


def _toll(company):
    """One job of toll processing: a farm's tomatoes, with its lots,
    received into its location at the cannery, made into sauce, returned
    and invoiced (a draft invoice)."""
    Party = Model.get('party.party')
    BOM = Model.get('production.bom')
    Category = Model.get('product.category')
    Template = Model.get('product.template')
    Uom = Model.get('product.uom')
    Lot = Model.get('stock.lot')
    Toll = Model.get('cocagne.transformation.toll')
    farm, = Party.find([
            ('name', '=', TOLL_FARM), ('company', '=', company.id)])
    recipe, = BOM.find([
            ('name', '=', TOLL_RECIPE), ('company', '=', company.id)])
    services, = Category.find([
            ('name', '=', "Services 20 %"), ('accounting', '=', True)])
    kg, = Uom.find([('symbol', '=', 'kg')])
    name, price = TOLL_SERVICE
    template = Template(name=name, type='service', company=company,
        salable=True, list_price=price, account_category=services)
    template.default_uom = kg
    template.save()
    date = today() - dt.timedelta(days=TOLL_DAYS)
    job = Toll(farm=farm, recipe=recipe, service=template.products[0],
        basis='input', reception_date=date)
    job.save()
    tomato, = [i.product for i in recipe.inputs
        if i.product.name == "Tomate ronde"]
    for number, quantity in TOLL_LOTS:
        lot = Lot(number=number, product=tomato)
        lot.save()
        move = job.receptions.new(product=tomato, quantity=quantity)
        move.lot = lot
        move.from_location = job.supplier_location
        move.to_location = job.location
        move.effective_date = date
    job.save()
    job.click('receive')
    job.click('create_batch')
    batch, = job.productions
    batch.planned_date = batch.effective_date = date + dt.timedelta(days=1)
    batch.click('wait')
    batch.click('assign_force')
    batch.click('run')
    batch.outputs[0].quantity = TOLL_JARS
    batch.save()
    batch.click('do')
    job.reload()
    job.click('process')
    job.return_date = date + dt.timedelta(days=2)
    job.save()
    job.click('return_')
    job.click('invoice')

"""Les Tables de Cocagne: the restaurant and catering of the Lyon garden.

The garden that already runs a vegetable processing unit and a cannery
opens a kitchen beside its plots at Brignais, with its production location
and labour cost, and the catering settings of the garden: the services
sold on a quote (a cover, an hour of service staff, a delivery, at the
catering VAT rate of 10 %) and a deposit of 30 % as an advance payment
term. The kitchen cooks two bases (a shortcrust pastry and an almond basil
pesto) and sixteen dishes of the garden's vegetables, its partner
farms' cheese, flour, fruit and honey, its cannery's jars (vegetable stock,
ratatouille, tomato sauce, aubergine caviar: sub-recipes too) and a few
groceries bought from a wholesaler, whose allergens make the menus'
allergen tables.

The restaurant serves a lunch menu from Monday to Friday: four weeks of
daily menus, from two weeks back to next week, each dish chosen among those
whose fresh produce is in season; the services before today have their
served covers and takings, today's and later ones their planned covers
only (no service on a public holiday). A catering menu is quoted to three
events of the coming weeks: an association's general meeting next week
(confirmed, with the deposit), the senior citizens' meal of the commune of
Chaponost (a public customer: SIREN and SIRET, invoicing address, the
commitment number of its purchase order, paid at 30 days and without
deposit; confirmed and, with cocagne_tournees, delivered by the kitchen's
refrigerated van) and a christening (quoted, waiting for the family's
answer). Next week's harvest forecasts of the plots and the kitchen's plan
of next week, computed from the confirmed event and the restaurant's
planned covers, are left as drafts. Random but seeded: the same day gives
the same demo."""
import datetime as dt
import random
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

from .common import activated, company_context, get_or_none, today
from .network import load_account_categories
from .products import FOOD
from .tournees import HOLIDAYS

GARDEN = 'lyon'
SEED = 69
RESTAURANT = "Les Tables de Cocagne"
# the kitchen: code, name, hourly labour cost, the place at its door
KITCHEN = ('LY-CUI', "Cuisine des Tables de Cocagne", Decimal('17.20'))
KITCHEN_PLACE = ("Les Tables de Cocagne (cuisine et restaurant)",
    "48 route de Soucieu", '69530', "Brignais", 45.6741, 4.7551,
    "Livraisons de 7 h 30 à 10 h ; quai à l'arrière du restaurant")
# the van that delivers the events (with cocagne_tournees): code, name
VAN = ('LY-VFR', "Camion frigorifique des Tables de Cocagne")
DELIVERY_ROUND = ("Livraisons traiteur des Tables de Cocagne", (9, 30))

# the VAT category of meals served (restauration, traiteur with service)
CATERING_VAT = "Restauration 10 %"
# the services sold on a catering quote: configuration field, name, unit,
# price excluding VAT
SERVICES = [
    ('catering_cover_product', "Couvert traiteur", 'u', '22.00'),
    ('catering_staff_product', "Heure de service", 'h', '32.00'),
    ('catering_delivery_product', "Livraison traiteur", 'u', '45.00'),
    ]
# the deposit: name, description of the invoice line, formula, account
DEPOSIT = ("Acompte de 30 %", "Acompte de 30 % à la commande",
    'total_amount * 0.3', '4191')
# the payment term of the public customers (délai global de paiement)
PUBLIC_TERM = ("30 jours (acheteurs publics)", 30)

# the wholesaler of the kitchen's groceries: name, street, postal code,
# city (invented)
WHOLESALER = ("Saveurs Bio du Rhône (grossiste)", "Marché de gros, "
    "avenue des Frères-Lumière", '69960', "Corbas")
# groceries bought by the kitchen: name, unit, cost price, organic,
# allergens
GROCERIES = [
    ("Beurre doux", 'kg', '10.40', True, ['milk']),
    ("Crème fraîche épaisse", 'kg', '5.60', True, ['milk']),
    ("Fromage blanc", 'kg', '4.30', True, ['milk']),
    ("Parmigiano Reggiano AOP", 'kg', '23.50', False, ['milk']),
    ("Œufs plein air", 'u', '0.34', True, ['eggs']),
    ("Pâtes à lasagne aux œufs", 'kg', '4.90', True, ['gluten', 'eggs']),
    ("Riz complet de Camargue", 'kg', '3.70', True, []),
    ("Moutarde de Dijon", 'kg', '7.80', False, ['mustard', 'sulphites']),
    ("Vinaigre de vin rouge", 'kg', '3.90', True, ['sulphites']),
    ("Cerneaux de noix", 'kg', '18.50', True, ['nuts']),
    ("Amandes décortiquées", 'kg', '15.80', False, ['nuts']),
    ("Ail", 'kg', '9.20', True, []),
    ("Pomme golden", 'kg', '2.40', True, []),
    ("Sucre de canne blond", 'kg', '2.60', True, []),
    ]

# the kitchen's bases, used by the dishes: name, output (unit, quantity),
# allergens of the base, labour minutes, inputs (product, quantity)
BASES = [
    ("Pâte brisée", ('kg', 1.7), ['gluten', 'milk'], 20, [
            ("Farine de blé T65 1 kg", 1), ("Beurre doux", 0.5),
            ("Eau", 0.2), ("Sel de Guérande", 0.02),
            ]),
    ("Pesto de basilic aux amandes", ('kg', 1), ['nuts', 'milk'], 25, [
            ("Basilic", 0.4), ("Huile d'olive", 0.4),
            ("Amandes décortiquées", 0.1), ("Parmigiano Reggiano AOP", 0.12),
            ("Ail", 0.03), ("Sel de Guérande", 0.01),
            ]),
    ]
# the dishes: name, course, portions, labour minutes, inputs (product,
# quantity for the portions); a processed input made by a recipe (a base
# of the kitchen, a jar of the cannery) is a sub-recipe
DISHES = [
    ("Caviar d'aubergine au sésame et pain au levain", 'appetizer', 12, 10,
        [("Caviar d'aubergine au sésame 180 g", 4),
            ("Pain complet au levain 800 g", 1)]),
    ("Velouté de céleri-rave", 'starter', 20, 40, [
            ("Céleri-rave", 3), ("Oignon rouge", 0.5),
            ("Bouillon de légumes", 3), ("Crème fraîche épaisse", 0.4),
            ("Beurre doux", 0.1), ("Sel de Guérande", 0.02)]),
    ("Rémoulade de céleri aux noix", 'starter', 12, 30, [
            ("Céleri-rave", 1.5), ("Œufs plein air", 2),
            ("Moutarde de Dijon", 0.1), ("Huile d'olive", 0.25),
            ("Vinaigre de vin rouge", 0.03), ("Cerneaux de noix", 0.1),
            ("Sel de Guérande", 0.01)]),
    ("Radis croque-au-sel, beurre et pain au levain", 'starter', 10, 15, [
            ("Radis rose", 4), ("Beurre doux", 0.15),
            ("Pain complet au levain 800 g", 1), ("Sel de Guérande", 0.01)]),
    ("Gaspacho de tomates et poivrons au basilic", 'starter', 12, 25, [
            ("Tomate ronde", 2.5), ("Poivron", 0.6), ("Oignon rouge", 0.2),
            ("Huile d'olive", 0.15), ("Vinaigre de vin rouge", 0.04),
            ("Basilic", 0.03), ("Sel de Guérande", 0.02)]),
    ("Salade de haricots verts et radis, vinaigrette à la moutarde",
        'starter', 10, 30, [
            ("Haricot vert", 1.2), ("Radis rose", 2),
            ("Salade feuille de chêne", 2), ("Oignon rouge", 0.1),
            ("Huile d'olive", 0.1), ("Moutarde de Dijon", 0.03),
            ("Vinaigre de vin rouge", 0.03)]),
    ("Tarte fine aux courgettes, chèvre frais et pesto", 'main', 8, 35, [
            ("Pâte brisée", 0.5), ("Courgette", 1.2),
            ("Fromage de chèvre frais", 3),
            ("Pesto de basilic aux amandes", 0.15),
            ("Sel de Guérande", 0.01)]),
    ("Tarte à l'oignon rouge et à la tomme de chèvre", 'main', 8, 40, [
            ("Pâte brisée", 0.5), ("Oignon rouge", 1),
            ("Œufs plein air", 4), ("Crème fraîche épaisse", 0.3),
            ("Tomme de chèvre", 0.15), ("Beurre doux", 0.03),
            ("Sel de Guérande", 0.01)]),
    ("Lasagnes à la ratatouille et à la tomme de chèvre", 'main', 12, 45, [
            ("Ratatouille 370 g", 6), ("Sauce tomate au basilic 350 g", 4),
            ("Pâtes à lasagne aux œufs", 0.6), ("Tomme de chèvre", 0.4)]),
    ("Gratin de céleri-rave à la tomme de chèvre", 'main', 10, 40, [
            ("Céleri-rave", 2.5), ("Oignon rouge", 0.3),
            ("Crème fraîche épaisse", 0.5), ("Tomme de chèvre", 0.25),
            ("Beurre doux", 0.05), ("Sel de Guérande", 0.02)]),
    ("Tian de légumes du soleil et riz complet", 'main', 10, 40, [
            ("Courgette", 1.2), ("Aubergine", 1), ("Tomate ronde", 1.2),
            ("Oignon rouge", 0.3), ("Huile d'olive", 0.1),
            ("Riz complet de Camargue", 0.7), ("Sel de Guérande", 0.02)]),
    ("Salade feuille de chêne à la vinaigrette", 'side', 10, 10, [
            ("Salade feuille de chêne", 3), ("Huile d'olive", 0.06),
            ("Vinaigre de vin rouge", 0.02), ("Moutarde de Dijon", 0.01)]),
    ("Assiette de fromages de chèvre", 'cheese', 10, 10, [
            ("Tomme de chèvre", 0.3), ("Fromage de chèvre frais", 4),
            ("Pain complet au levain 800 g", 1)]),
    ("Fromage blanc au miel de lavande et aux noix", 'dessert', 10, 10, [
            ("Fromage blanc", 1.2), ("Miel de lavande 500 g", 1),
            ("Cerneaux de noix", 0.08)]),
    ("Tarte aux abricots", 'dessert', 8, 35, [
            ("Pâte brisée", 0.5), ("Abricot", 1),
            ("Sucre de canne blond", 0.1), ("Œufs plein air", 2),
            ("Crème fraîche épaisse", 0.2)]),
    ("Crumble aux pommes et aux noix", 'dessert', 30, 40, [
            ("Pomme golden", 4.5), ("Farine de blé T65 1 kg", 1),
            ("Beurre doux", 0.6), ("Sucre de canne blond", 0.5),
            ("Cerneaux de noix", 0.15)]),
    ]

# the restaurant: weeks of menus (from WEEKS_BACK weeks before this one to
# next week), the courses of the lunch menu, its price (excluding VAT),
# covers planned on each week day (0 Monday), what a cover adds in drinks
# and coffee
WEEKS_BACK = 2
LUNCH_COURSES = ['starter', 'main', 'dessert']
LUNCH = ("Menu du jour", Decimal('16.50'))
COVERS = {0: (28, 38), 1: (32, 44), 2: (30, 42), 3: (36, 48), 4: (42, 58)}
EXTRAS = (Decimal('1.20'), Decimal('3.40'))
# the catering menu: name, price per cover, (course, portions per cover)
CATERING_MENU = ("Buffet de saison des Tables de Cocagne", Decimal('24.00'),
    [('appetizer', 0.5), ('starter', 1), ('main', 1), ('side', 1),
        ('cheese', 0.5), ('dessert', 1)])

# the events: key, customer, event, place, weeks ahead, week day, covers,
# staff hours, state, delivered
EVENTS = [
    ('ag', "Association Rhône Insertion Emploi",
        "Assemblée générale – déjeuner", "Maison des associations de Givors",
        1, 3, 45, 6, 'confirmed', False),
    ('aines', "Commune de Chaponost", "Repas des aînés",
        "Salle des fêtes de Chaponost", 2, 5, 120, 16, 'confirmed', True),
    ('bapteme', "Famille Vial", "Baptême de Léonie",
        "Grange du Moulin de Vourles", 4, 5, 35, 4, 'quotation', False),
    ]
# customers: name, street, postal code, city
CUSTOMERS = [
    ("Association Rhône Insertion Emploi", "14 rue Jean-Jaurès", '69700',
        "Givors"),
    ("Commune de Chaponost", "Hôtel de ville, 5 avenue Devienne", '69630',
        "Chaponost"),
    ("Famille Vial", "7 chemin des Sources", '69390', "Vourles"),
    ]
# the commune, a public customer: INSEE code (its SIREN is 21, the
# department on three digits, the commune's number and a Luhn key), the
# establishment number of the town hall (before its key), the Chorus Pro
# service code, the numbers of its purchase order and of its commitment
# (of the event's year)
COMMUNE = ("Commune de Chaponost", '69043', '0001', "CCAS",
    "BC-{year}-0412", "{year}-6011-00187")
# event places: name, street, postal code, city, latitude, longitude,
# comment
EVENT_PLACES = [
    ("Maison des associations de Givors", "Rue Roger-Salengro", '69700',
        "Givors", 45.5892, 4.7705, "Salle du rez-de-chaussée ; office "
        "avec deux réfrigérateurs"),
    ("Salle des fêtes de Chaponost", "Avenue Devienne", '69630',
        "Chaponost", 45.7106, 4.7401, "Clés à la mairie ; office équipé, "
        "120 places assises"),
    ("Grange du Moulin de Vourles", "Chemin du Moulin", '69390', "Vourles",
        45.6556, 4.7694, "Accès traiteur par la cour ; pas de cuisine sur "
        "place"),
    ]
# next week's harvest forecast: how many produce, quantities by unit
FORECASTS, FORECAST_QUANTITIES = 4, {
    'kg': (8, 30), 'u': (20, 60), 'botte': (10, 30)}


def loaded():
    "Whether the kitchen has its plan (the demo's last record)."
    return bool(Model.get('cocagne.catering.plan').find([], limit=1))


def load_catering(gardens):
    """The restaurant and catering of the Lyon garden, unless its kitchen
    has a plan; each part skips what is already there."""
    Plan = Model.get('cocagne.catering.plan')
    company = gardens[GARDEN]
    if Plan.find([('company', '=', company.id)], limit=1):
        return
    vat = load_account_categories(gardens)[CATERING_VAT]
    config = get_config()
    skip, config.skip_warning = config.skip_warning, True
    try:
        with company_context(company):
            rng = random.Random(SEED)
            kitchen, place = _kitchen(company)
            _settings(company, vat)
            products = _products(company)
            dishes = _dishes(company, kitchen, products)
            menus = _restaurant(company, kitchen, dishes, rng)
            catering = _catering_menu(company, kitchen, dishes)
            _events(company, kitchen, place, catering)
            _plan(company, kitchen, menus, rng)
    finally:
        config.skip_warning = skip


def _monday(date):
    return date - dt.timedelta(days=date.weekday())


def _kitchen(company):
    """The kitchen (a site of kind kitchen, at the garden's address) with
    its production location and hourly labour cost, and the place at its
    door."""
    Location = Model.get('stock.location')
    Place = Model.get('cocagne.place')
    Country = Model.get('country.country')
    code, name, rate = KITCHEN
    kitchen = get_or_none('stock.location', [('code', '=', code)])
    if not kitchen:
        kitchen = Location(name=name, code=code, type='warehouse',
            company=company, site_kind='kitchen',
            address=company.party.addresses[0])
        kitchen.save()
    if not kitchen.production_location:
        workshop = Location(name=f"Production – {name}", type='production',
            company=company)
        workshop.save()
        kitchen.production_location = workshop
    kitchen.labour_hourly_cost = rate
    kitchen.save()
    name, street, postal_code, city, lat, lon, comment = KITCHEN_PLACE
    place = get_or_none('cocagne.place', [
            ('company', '=', company.id), ('name', '=', name)])
    if not place:
        france, = Country.find([('code', '=', 'FR')])
        place = Place(kind='garden_site', name=name, company=company,
            street=street, postal_code=postal_code, city=city,
            country=france, latitude=lat, longitude=lon, comment=comment)
        place.save()
    return kitchen, place


def _settings(company, vat):
    """The garden's catering settings: the services sold on a quote and
    the deposit of 30 % on the customer advances account."""
    Template = Model.get('product.template')
    Uom = Model.get('product.uom')
    Configuration = Model.get('cocagne.configuration')
    Term = Model.get('sale.advance_payment_term')
    Account = Model.get('account.account')
    configuration = Configuration(1)
    for field, name, unit, price in SERVICES:
        template = get_or_none('product.template', [
                ('name', '=', name), ('company', '=', company.id)])
        if not template:
            template = Template(name=name, type='service', company=company,
                salable=True, list_price=Decimal(price),
                account_category=vat)
            template.default_uom, = Uom.find([('symbol', '=', unit)])
            template.save()
        setattr(configuration, field, template.products[0])
    name, description, formula, code = DEPOSIT
    term = get_or_none('sale.advance_payment_term', [('name', '=', name)])
    if not term:
        account, = Account.find([
                ('company', '=', company.id), ('code', '=', code)])
        term = Term(name=name)
        term.lines.new(description=description, formula=formula,
            account=account)
        term.save()
    configuration.catering_advance_payment_term = term
    configuration.save()


def _products(company):
    """The products of the kitchen by name: the groceries it buys from the
    wholesaler (created), the garden's own, partner and processed ones."""
    Template = Model.get('product.template')
    Party = Model.get('party.party')
    Uom = Model.get('product.uom')
    Category = Model.get('product.category')
    Country = Model.get('country.country')
    uoms = {u.symbol: u for u in Uom.find([('symbol', 'in', ['kg', 'u'])])}
    food, = Category.find([('name', '=', FOOD), ('accounting', '=', True)])
    name, street, postal_code, city = WHOLESALER
    wholesaler = get_or_none('party.party', [
            ('name', '=', name), ('company', '=', company.id)])
    if not wholesaler:
        wholesaler = Party(name=name, company=company)
        address, = wholesaler.addresses
        address.street, address.postal_code, address.city = (
            street, postal_code, city)
        address.country, = Country.find([('code', '=', 'FR')])
        wholesaler.save()
    existing = {t.name for t in Template.find([('company', '=', company.id)])}
    new = []
    for name, unit, cost, organic, allergens in GROCERIES:
        if name in existing:
            continue
        template = Template(name=name, type='goods', origin='bought',
            company=company, agricultural=True, organic=organic,
            purchasable=True, allergens=allergens, account_category=food)
        template.default_uom = uoms[unit]
        template.products[0].cost_price = Decimal(cost)
        # the wholesaler's price, which the plan's purchases take
        supplier = template.product_suppliers.new(party=wholesaler,
            company=company)
        supplier.prices.new(quantity=0, unit_price=Decimal(cost))
        new.append(template)
    for name, (unit, _), allergens, *_ in BASES:
        if name in existing:
            continue
        template = Template(name=name, type='goods', origin='processed',
            company=company, organic=False, producible=True,
            allergens=allergens, account_category=food)
        template.default_uom = uoms[unit]
        new.append(template)
    for name, *_ in DISHES:
        if name in existing:
            continue
        template = Template(name=name, type='goods', origin='processed',
            company=company, organic=False, producible=True,
            account_category=food)
        template.default_uom = uoms['u']
        new.append(template)
    Template.save(new)
    return {t.name: t.products[0]
        for t in Template.find([('company', '=', company.id)])}


def _recipe(company, kitchen, products, name, quantity, minutes, inputs,
        portions=None):
    """The recipe name of the kitchen, making quantity of the product of
    the same name, linked to it."""
    BOM = Model.get('production.bom')
    ProductBom = Model.get('product.product-production.bom')
    recipe = get_or_none('production.bom', [('company', '=', company.id),
            ('site', '=', kitchen.id), ('name', '=', name)])
    if recipe:
        return recipe
    recipe = BOM(name=name, company=company, site=kitchen, sales_name=name,
        labour_minutes=minutes, shelf_life=3 if portions is None else 1,
        date_kind='dlc', storage_conditions="À conserver entre 0 et 3 °C",
        nutrition_exempt=True, portions=portions)
    for product, amount in inputs:
        recipe.inputs.new(product=products[product], quantity=amount)
    recipe.outputs.new(product=products[name], quantity=quantity)
    recipe.save()
    ProductBom(product=products[name], bom=recipe).save()
    return recipe


def _dishes(company, kitchen, products):
    """The bases, then the dishes of the kitchen. Return {course: [(dish,
    months of its fresh produce)]}."""
    for name, (_, quantity), _, minutes, inputs in BASES:
        _recipe(company, kitchen, products, name, quantity, minutes, inputs)
    dishes = {}
    for name, course, portions, minutes, inputs in DISHES:
        dish = _recipe(company, kitchen, products, name, portions, minutes,
            inputs, portions=portions)
        # in season when all its fresh produce (with months) is
        months = set(f'{m:02d}' for m in range(1, 13))
        for product, _ in inputs:
            template = products[product].template
            if template.origin in {'own', 'partner'} and (
                    template.season_months):
                months &= set(template.season_months)
        dishes.setdefault(course, []).append((dish, months))
    return dishes


def _in_season(dishes, course, date, strict=False):
    """The dishes of course in season on date; when none is, none if
    strict, else all of them."""
    month = f'{date.month:02d}'
    fresh = [d for d, months in dishes[course] if month in months]
    if strict:
        return fresh
    return fresh or [d for d, _ in dishes[course]]


def _restaurant(company, kitchen, dishes, rng):
    """The lunch menus from Monday to Friday of the weeks and their
    services: served covers and takings before today, planned covers from
    today on. Return the menus."""
    Menu = Model.get('cocagne.catering.menu')
    Service = Model.get('cocagne.catering.service')
    name, price = LUNCH
    first = _monday(today()) - dt.timedelta(weeks=WEEKS_BACK)
    existing = {m.date: m for m in Menu.find([('company', '=', company.id),
                ('kind', '=', 'restaurant'), ('date', '>=', first)])}
    done = {s.date for s in Service.find([('company', '=', company.id),
                ('site', '=', kitchen.id), ('date', '>=', first)])}
    new, services = [], []
    for day in range((WEEKS_BACK + 2) * 7):
        date = first + dt.timedelta(days=day)
        if date.weekday() not in COVERS or (
                (date.month, date.day) in HOLIDAYS) or date in existing:
            continue
        menu = Menu(company=company, name=name, kind='restaurant',
            date=date, service='lunch', site=kitchen, price_per_cover=price)
        for course in LUNCH_COURSES:
            menu.lines.new(course=course, portions=1,
                dish=rng.choice(_in_season(dishes, course, date)))
        new.append(menu)
    Menu.save(new)
    menus = sorted(list(existing.values()) + new, key=lambda m: m.date)
    for menu in menus:
        if menu.date in done:
            continue
        planned = rng.randint(*COVERS[menu.date.weekday()])
        service = Service(company=company, site=kitchen, date=menu.date,
            service='lunch', menu=menu, planned_covers=planned)
        if menu.date < today():
            served = max(0, planned + rng.randint(-6, 4))
            extras = Decimal(str(round(rng.uniform(
                                float(EXTRAS[0]), float(EXTRAS[1])), 2)))
            service.served_covers = served
            service.takings = (served * (price + extras)).quantize(
                Decimal('0.01'))
        services.append(service)
    Service.save(services)
    return menus


def _catering_menu(company, kitchen, dishes):
    """The catering menu quoted to the events: a dish of each course that
    has one in season on the first event's date."""
    Menu = Model.get('cocagne.catering.menu')
    name, price, courses = CATERING_MENU
    menu = get_or_none('cocagne.catering.menu', [
            ('company', '=', company.id), ('kind', '=', 'catering'),
            ('name', '=', name)])
    if menu:
        return menu
    weeks, weekday = min((e[4], e[5]) for e in EVENTS)
    date = _monday(today()) + dt.timedelta(weeks=weeks, days=weekday)
    menu = Menu(company=company, name=name, kind='catering', site=kitchen,
        price_per_cover=price)
    for course, portions in courses:
        fresh = _in_season(dishes, course, date, strict=True)
        if fresh:
            menu.lines.new(course=course, portions=portions, dish=fresh[0])
    menu.save()
    return menu


def _luhn_key(digits):
    "The digit that makes digits + it pass the Luhn check."
    from stdnum import luhn
    return luhn.calc_check_digit(digits)


def _customers(company):
    """The customers of the events by name; the commune with its SIREN, the
    SIRET of its town hall (its invoicing address) and the public payment
    term."""
    Party = Model.get('party.party')
    Identifier = Model.get('party.identifier')
    Country = Model.get('country.country')
    Term = Model.get('account.invoice.payment_term')
    france, = Country.find([('code', '=', 'FR')])
    customers = {}
    for name, street, postal_code, city in CUSTOMERS:
        party = get_or_none('party.party', [
                ('name', '=', name), ('company', '=', company.id)])
        if not party:
            party = Party(name=name, company=company)
            address, = party.addresses
            address.street, address.postal_code, address.city = (
                street, postal_code, city)
            address.country = france
            party.save()
        customers[name] = party
    name, insee, nic, *_ = COMMUNE
    commune = customers[name]
    if not commune.identifiers:
        siren = '21' + insee[:2] + '0' + insee[2:]
        siren += _luhn_key(siren)
        siret = siren + nic
        siret += _luhn_key(siret)
        term_name, days = PUBLIC_TERM
        term = get_or_none('account.invoice.payment_term', [
                ('name', '=', term_name)])
        if not term:
            term = Term(name=term_name)
            line = term.lines.new(type='remainder')
            line.relativedeltas.new(days=days)
            term.save()
        address, = commune.addresses
        address.invoice = True
        commune.identifiers.new(type='fr_siren', code=siren)
        commune.customer_payment_term = term
        commune.save()
        Identifier(party=commune, address=commune.addresses[0],
            type='fr_siret', code=siret).save()
        commune.reload()
    return customers


def _event_places(company):
    "The places of the events by name."
    Place = Model.get('cocagne.place')
    Country = Model.get('country.country')
    france, = Country.find([('code', '=', 'FR')])
    places = {p.name: p for p in Place.find([('company', '=', company.id)])}
    new = [Place(kind='customer_site', name=name, company=company,
            street=street, postal_code=postal_code, city=city,
            country=france, latitude=lat, longitude=lon, comment=comment)
        for name, street, postal_code, city, lat, lon, comment in EVENT_PLACES
        if name not in places]
    Place.save(new)
    places.update((p.name, p) for p in new)
    return places


def _delivery_round(company, kitchen, place, stops):
    """The round of the kitchen's refrigerated van that delivers the
    events (cocagne_tournees), from the kitchen to the places of stops."""
    Location = Model.get('stock.location')
    Round = Model.get('cocagne.round')
    name, departure = DELIVERY_ROUND
    round_ = get_or_none('cocagne.round', [
            ('company', '=', company.id), ('name', '=', name)])
    if round_:
        return round_
    code, van_name = VAN
    van = get_or_none('stock.location', [('code', '=', code)])
    if not van:
        van = Location(name=van_name, code=code, type='warehouse',
            company=company, site_kind='van',
            address=company.party.addresses[0])
        van.save()
    round_ = Round(name=name, kind='delivery', company=company, site=kitchen,
        van=van, departure=dt.time(*departure), start_place=place,
        end_place=place)
    for stop in stops:
        round_.stops.new(place=stop, stop_time=dt.timedelta(minutes=30))
    round_.save()
    return round_


def _event_date(weeks, weekday):
    "The day weekday of the week weeks ahead, the day after a holiday."
    date = _monday(today()) + dt.timedelta(weeks=weeks, days=weekday)
    while (date.month, date.day) in HOLIDAYS:
        date += dt.timedelta(days=1)
    return date


def _events(company, kitchen, place, menu):
    """The catering events: sales of the catering menu, quoted (their
    lines made from the covers, staff hours and delivery) and some
    confirmed; the commune's without deposit, with its purchase order."""
    Sale = Model.get('sale.sale')
    customers = _customers(company)
    places = _event_places(company)
    delivered = [places[e[3]] for e in EVENTS if e[9]]
    round_ = None
    if activated('cocagne_tournees') and delivered:
        round_ = _delivery_round(company, kitchen, place, delivered)
    commune, _, _, service_code, order, commitment = COMMUNE
    for (key, customer, event, place_name, weeks, weekday, covers, hours,
            state, delivery) in EVENTS:
        party = customers[customer]
        if get_or_none('sale.sale', [('party', '=', party.id),
                    ('catering_menu', '=', menu.id)]):
            continue
        sale = Sale(party=party, sale_date=today(), warehouse=kitchen)
        sale.description = f"{event} – {RESTAURANT}"
        sale.catering_menu = menu
        sale.event_date = _event_date(weeks, weekday)
        sale.event_place = places[place_name]
        sale.covers = covers
        sale.staff_hours = hours
        if delivery and round_:
            sale.delivery_round = round_
        public = customer == commune
        if public:
            year = sale.event_date.year
            sale.reference = order.format(year=year)
            sale.comment = ("Acheteur public : facture à déposer sur "
                f"Chorus Pro (SIRET {party.addresses[0].siret.code}, "
                f"code service {service_code}, numéro d'engagement "
                f"{commitment.format(year=year)}). Pas d'acompte : "
                "paiement après service fait, sous 30 jours.")
            # a public buyer pays no deposit: the garden's term, which
            # the menu brought, is cleared
            sale.advance_payment_term = None
        sale.save()
        sale.click('quote')
        if state == 'confirmed':
            sale.click('confirm')


def _plan(company, kitchen, menus, rng):
    """Next week's harvest forecasts of a few produce, those of the week's
    dishes first, and the kitchen's plan of next week, computed and left
    as a draft."""
    Forecast = Model.get('cocagne.harvest.forecast')
    Plan = Model.get('cocagne.catering.plan')
    week = _monday(today()) + dt.timedelta(weeks=1)
    if Forecast.find([('company', '=', company.id), ('week', '=', week)],
            limit=1):
        products = []
    else:
        products = _forecast_products(company, menus, week, rng)
    forecasts = []
    for product in products:
        low, high = FORECAST_QUANTITIES.get(
            product.default_uom.symbol, (5, 20))
        forecasts.append(Forecast(company=company, week=week,
                product=product, quantity=float(rng.randint(low, high))))
    Forecast.save(forecasts)
    plan = Plan(company=company, site=kitchen, week=week)
    plan.save()
    plan.click('compute')


def _forecast_products(company, menus, week, rng):
    """A few produce of the garden: those of the dishes of the week's
    menus, then others in season."""
    Template = Model.get('product.template')
    month = f'{week.month:02d}'
    own = {}
    for menu in menus:
        if _monday(menu.date) != week:
            continue
        for line in menu.lines:
            for input_ in line.dish.inputs:
                template = input_.product.template
                if template.origin == 'own':
                    own[template.id] = input_.product
    products = rng.sample(sorted(own.values(), key=lambda p: p.id),
        min(FORECASTS, len(own)))
    if len(products) < FORECASTS:
        # and other produce in season, for the harvest beyond the kitchen
        fresh = [t.products[0] for t in Template.find([
                    ('company', '=', company.id), ('origin', '=', 'own'),
                    ('type', '=', 'goods'), ('id', 'not in', list(own))],
                order=[('name', 'ASC')])
            if not t.season_months or month in t.season_months]
        products += rng.sample(fresh,
            min(FORECASTS - len(products), len(fresh)))
    return products

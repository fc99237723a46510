"""Products of the gardens: own vegetables, processed goods, partner farm
products and a few bought supplies."""
from decimal import Decimal

from proteus import Model

from .common import company_context, get_or_none

FOOD, SUPPLIES = "Alimentaire 5,5 %", "Fournitures 20 %"
VEG, FRUIT, DAIRY, GROCERY, BAKERY, JARS, PACKAGING = (
    "Légumes", "Fruits", "Crèmerie et œufs", "Épicerie", "Boulangerie",
    "Conserves et soupes", "Emballages")


def season(*ranges):
    "Months codes of the ranges (first, last), a range may wrap the year."
    months = []
    for first, last in ranges:
        month = first
        while True:
            months.append(f'{month:02d}')
            if month == last:
                break
            month = month % 12 + 1
    return months


ALL_YEAR = []
# garden key: [(name, uom symbol, list price, cost price, season, category)]
VEGETABLES = {
    'doubs': [
        ("Tomate ronde", 'kg', '4.20', '1.60', season((6, 9)), VEG),
        ("Tomate cerise", 'kg', '8.00', '3.20', season((7, 9)), VEG),
        ("Courgette", 'kg', '2.80', '0.90', season((6, 9)), VEG),
        ("Pomme de terre", 'kg', '1.90', '0.60', season((7, 3)), VEG),
        ("Carotte nouvelle", 'botte', '2.50', '0.80', season((6, 10)), VEG),
        ("Carotte de garde", 'kg', '2.20', '0.70', season((10, 3)), VEG),
        ("Poireau", 'kg', '3.20', '1.10', season((9, 3)), VEG),
        ("Salade batavia", 'u', '1.50', '0.45', season((4, 10)), VEG),
        ("Chou frisé", 'u', '2.50', '0.80', season((10, 2)), VEG),
        ("Radis rose", 'botte', '1.80', '0.50', season((4, 6), (9, 10)),
            VEG),
        ("Courge butternut", 'kg', '2.90', '0.90', season((9, 2)), VEG),
        ("Épinard", 'kg', '6.50', '2.20', season((3, 5), (9, 11)), VEG),
        ],
    'rennes': [
        ("Tomate cœur-de-bœuf", 'kg', '5.20', '2.00', season((7, 9)), VEG),
        ("Courgette", 'kg', '2.80', '0.90', season((6, 9)), VEG),
        ("Pomme de terre primeur", 'kg', '3.20', '1.10', season((5, 7)),
            VEG),
        ("Carotte nouvelle", 'botte', '2.50', '0.80', season((5, 10)), VEG),
        ("Chou-fleur", 'u', '3.00', '1.00', season((10, 4)), VEG),
        ("Artichaut camus", 'u', '1.80', '0.60', season((5, 9)), VEG),
        ("Échalote", 'kg', '6.00', '2.00', season((7, 1)), VEG),
        ("Navet", 'botte', '2.20', '0.70', season((4, 6), (9, 11)), VEG),
        ("Blette", 'botte', '2.50', '0.80', season((5, 11)), VEG),
        ("Potimarron", 'kg', '2.90', '0.90', season((9, 1)), VEG),
        ("Salade feuille de chêne", 'u', '1.50', '0.45', season((4, 11)),
            VEG),
        ],
    'lyon': [
        ("Tomate ronde", 'kg', '4.20', '1.60', season((6, 9)), VEG),
        ("Aubergine", 'kg', '4.50', '1.60', season((7, 9)), VEG),
        ("Poivron", 'kg', '5.50', '2.00', season((7, 10)), VEG),
        ("Courgette", 'kg', '2.80', '0.90', season((6, 9)), VEG),
        ("Melon charentais", 'u', '3.50', '1.20', season((7, 8)), FRUIT),
        ("Haricot vert", 'kg', '8.50', '3.50', season((7, 9)), VEG),
        ("Salade feuille de chêne", 'u', '1.50', '0.45', season((3, 11)),
            VEG),
        ("Carotte nouvelle", 'botte', '2.50', '0.80', season((5, 10)), VEG),
        ("Oignon rouge", 'kg', '3.50', '1.10', season((7, 2)), VEG),
        ("Radis rose", 'botte', '1.80', '0.50', season((3, 6), (9, 10)),
            VEG),
        ("Céleri-rave", 'kg', '3.20', '1.00', season((10, 2)), VEG,
            ['celery']),
        ],
    }

# garden key: [(name, uom, list price, cost price, allergens, category)]
PROCESSED = {
    'doubs': [
        ("Soupe de légumes d'hiver 75 cl", 'u', '5.50', '2.10', ['celery'],
            JARS),
        ("Velouté de potimarron à la crème 75 cl", 'u', '5.90', '2.30',
            ['milk'], JARS),
        ("Ratatouille 370 g", 'u', '5.20', '2.00', [], JARS),
        ("Confiture de rhubarbe 320 g", 'u', '4.80', '1.70', [], JARS),
        ("Coulis de tomate 500 g", 'u', '4.50', '1.50', [], JARS),
        ],
    'rennes': [
        ("Légumes de saison épluchés (restauration collective)", 'kg',
            '3.80', '2.20', [], VEG),
        ("Carottes râpées (restauration collective)", 'kg', '4.20', '2.40',
            [], VEG),
        ("Soupe poireaux et pommes de terre 1 L", 'u', '5.50', '2.10',
            ['celery'], JARS),
        ],
    'lyon': [
        ("Ratatouille 370 g", 'u', '5.20', '2.00', [], JARS),
        ("Sauce tomate au basilic 350 g", 'u', '4.60', '1.60', [], JARS),
        ("Caviar d'aubergine au sésame 180 g", 'u', '4.90', '1.80',
            ['sesame'], JARS),
        ("Confiture de tomates vertes 320 g", 'u', '4.80', '1.70', [],
            JARS),
        ("Pickles de betterave à la moutarde 300 g", 'u', '5.10', '1.90',
            ['mustard'], JARS),
        ],
    }

# farm key: [(name, uom, list price, cost price, allergens, season, category)]
PARTNER_PRODUCTS = {
    'combe': [
        ("Comté AOP 12 mois", 'kg', '22.00', '16.00', ['milk'], ALL_YEAR,
            DAIRY),
        ("Morbier AOP", 'kg', '17.50', '12.50', ['milk'], ALL_YEAR, DAIRY),
        ("Yaourt nature au lait entier 4 × 125 g", 'u', '3.20', '2.10',
            ['milk'], ALL_YEAR, DAIRY),
        ],
    'lomont': [
        ("Pomme reinette", 'kg', '3.20', '1.90', [], season((9, 3)), FRUIT),
        ("Poire conférence", 'kg', '3.60', '2.20', [], season((9, 1)),
            FRUIT),
        ("Jus de pomme 1 L", 'u', '3.50', '2.20', [], ALL_YEAR, GROCERY),
        ],
    'ruchers': [
        ("Miel de sapin 500 g", 'u', '11.50', '8.00', [], ALL_YEAR, GROCERY),
        ("Miel toutes fleurs 500 g", 'u', '9.00', '6.20', [], ALL_YEAR,
            GROCERY),
        ],
    'epis': [
        ("Pain de campagne au levain 1 kg", 'u', '5.20', '3.40', ['gluten'],
            ALL_YEAR, BAKERY),
        ("Farine de blé T80 1 kg", 'u', '2.80', '1.70', ['gluten'],
            ALL_YEAR, GROCERY),
        ],
    'landes': [
        ("Œufs plein air × 6", 'u', '3.20', '2.20', ['eggs'], ALL_YEAR,
            DAIRY),
        ("Œufs plein air × 12", 'u', '6.00', '4.20', ['eggs'], ALL_YEAR,
            DAIRY),
        ("Poulet fermier entier", 'kg', '12.50', '9.00', [], ALL_YEAR,
            GROCERY),
        ],
    'vilaine': [
        ("Yaourt brassé à la vanille 4 × 125 g", 'u', '3.40', '2.30',
            ['milk'], ALL_YEAR, DAIRY),
        ("Tomme de Bretagne", 'kg', '19.00', '13.50', ['milk'], ALL_YEAR,
            DAIRY),
        ("Beurre demi-sel 250 g", 'u', '3.60', '2.40', ['milk'], ALL_YEAR,
            DAIRY),
        ],
    'coglais': [
        ("Jus de pomme pétillant 75 cl", 'u', '4.20', '2.60', [], ALL_YEAR,
            GROCERY),
        ("Pomme à couteau", 'kg', '2.90', '1.70', [], season((9, 4)), FRUIT),
        ],
    'retz': [
        ("Mâche nantaise", 'kg', '12.00', '7.50', [], season((10, 3)), VEG),
        ("Radis noir", 'kg', '3.80', '2.30', [], season((10, 2)), VEG),
        ],
    'bouexiere': [
        ("Lait cru entier 1 L", 'u', '1.40', '0.95', ['milk'], ALL_YEAR,
            DAIRY),
        ("Crème fraîche épaisse 25 cl", 'u', '2.60', '1.70', ['milk'],
            ALL_YEAR, DAIRY),
        ("Fromage blanc fermier 500 g", 'u', '3.20', '2.10', ['milk'],
            ALL_YEAR, DAIRY),
        ],
    'gosne': [
        ("Pain de campagne au levain 1 kg", 'u', '5.20', '3.40', ['gluten'],
            ALL_YEAR, BAKERY),
        ("Pain de seigle 500 g", 'u', '3.60', '2.30', ['gluten'], ALL_YEAR,
            BAKERY),
        ],
    'chasne': [
        ("Pleurote", 'kg', '14.00', '9.50', [], ALL_YEAR, VEG),
        ("Shiitaké", 'kg', '18.00', '12.50', [], ALL_YEAR, VEG),
        ],
    'sulpice': [
        ("Miel de châtaignier 500 g", 'u', '10.50', '7.20', [], ALL_YEAR,
            GROCERY),
        ("Miel de printemps 500 g", 'u', '9.50', '6.50', [], ALL_YEAR,
            GROCERY),
        ],
    'servon': [
        ("Poire comice", 'kg', '3.80', '2.30', [], season((9, 1)), FRUIT),
        ("Jus de pomme et poire 1 L", 'u', '3.60', '2.30', [], ALL_YEAR,
            GROCERY),
        ],
    'chevrerie': [
        ("Fromage de chèvre frais", 'u', '2.80', '1.80', ['milk'],
            season((3, 11)), DAIRY),
        ("Tomme de chèvre", 'kg', '24.00', '17.00', ['milk'], ALL_YEAR,
            DAIRY),
        ],
    'pilat': [
        ("Cerise", 'kg', '9.50', '6.50', [], season((6, 7)), FRUIT),
        ("Abricot", 'kg', '5.80', '3.80', [], season((7, 8)), FRUIT),
        ],
    'dombes': [
        ("Farine de blé T65 1 kg", 'u', '2.60', '1.60', ['gluten'],
            ALL_YEAR, GROCERY),
        ("Pain complet au levain 800 g", 'u', '4.80', '3.10', ['gluten'],
            ALL_YEAR, BAKERY),
        ],
    'buis': [
        ("Huile d'olive vierge extra 50 cl", 'u', '12.50', '8.80', [],
            ALL_YEAR, GROCERY),
        ("Miel de lavande 500 g", 'u', '12.00', '8.50', [], ALL_YEAR,
            GROCERY),
        ],
    }

# Supplies bought by every garden (no garden: shared by the network):
# (name, uom, list price, cost price, organic, agricultural, allergens,
#  accounting category, category, salable)
BOUGHT = [
    ("Sel de Guérande 1 kg", 'u', '3.50', '1.80', False, False, [], FOOD,
        GROCERY, True),
    ("Sucre de canne blond 1 kg", 'u', '3.90', '2.40', True, True, [], FOOD,
        GROCERY, True),
    ("Huile de tournesol 1 L", 'u', '6.50', '4.10', True, True, [], FOOD,
        GROCERY, True),
    ("Vinaigre de cidre 75 cl", 'u', '3.80', '2.20', True, True,
        ['sulphites'], FOOD, GROCERY, True),
    ("Bocal en verre 370 ml", 'u', '0.90', '0.45', False, False, [],
        SUPPLIES, PACKAGING, False),
    ]

# The food information of the partner farms' products (products.py and
# bio_shop.py), as on their labels: name: (food kind, ingredient list with
# the allergens in capitals and the organic ingredients starred, net
# quantity, storage); those not listed are fresh produce sold loose.
ORGANIC = "*Ingrédients issus de l'agriculture biologique"
FRESH, SMALL = 'fresh', 'small_producer'
COLD = "À conserver entre 0 et 6 °C."
CHEESE = "À conserver entre 4 et 8 °C, dans son papier."
BREAD = "À conserver dans un endroit sec, enveloppé dans un torchon."
DRY = "À conserver dans un endroit sec, à l'abri de la lumière."
OPENED = ("À conserver à l'abri de la lumière ; après ouverture, au "
    "réfrigérateur et à consommer sous 5 jours.")
HONEY = "À conserver à température ambiante, à l'abri de l'humidité."
CIDER = "À conserver debout, au frais et à l'abri de la lumière."
LEAVEN = ("Farine de BLÉ* T80, eau, levain naturel* (farine de SEIGLE*, "
    "eau), sel.")
FOOD_INFORMATION = {
    "Comté AOP 12 mois": (SMALL,
        "LAIT cru de vache*, sel, ferments lactiques, présure.", None,
        CHEESE),
    "Morbier AOP": (SMALL, "LAIT cru de vache*, sel, ferments lactiques, "
        "présure, charbon végétal.", None, CHEESE),
    "Yaourt nature au lait entier 4 × 125 g": (SMALL,
        "LAIT entier*, ferments lactiques.", "4 × 125 g", COLD),
    "Jus de pomme 1 L": (SMALL, "Pur jus de pomme*.", "1 L", OPENED),
    "Miel de sapin 500 g": (FRESH, None, "500 g", HONEY),
    "Miel toutes fleurs 500 g": (FRESH, None, "500 g", HONEY),
    "Pain de campagne au levain 1 kg": (SMALL, LEAVEN, "1 kg", BREAD),
    "Farine de blé T80 1 kg": (FRESH, None, "1 kg", DRY),
    "Œufs plein air × 6": (FRESH, None, "6 œufs",
        "À conserver à l'abri des variations de température."),
    "Œufs plein air × 12": (FRESH, None, "12 œufs",
        "À conserver à l'abri des variations de température."),
    "Yaourt brassé à la vanille 4 × 125 g": (SMALL, "LAIT entier*, sucre "
        "de canne*, vanille* (0,2 %), ferments lactiques.", "4 × 125 g",
        COLD),
    "Tomme de Bretagne": (SMALL, "LAIT de vache* pasteurisé, sel, "
        "ferments lactiques, présure.", None, CHEESE),
    "Beurre demi-sel 250 g": (SMALL, "Crème de LAIT* pasteurisée, sel de "
        "Guérande (2 %), ferments lactiques.", "250 g", COLD),
    "Jus de pomme pétillant 75 cl": (SMALL, "Pur jus de pomme*, gaz "
        "carbonique.", "75 cl", OPENED),
    "Lait cru entier 1 L": (FRESH, None, "1 L",
        "À conserver entre 0 et 4 °C ; à consommer dans les 3 jours."),
    "Crème fraîche épaisse 25 cl": (SMALL, "Crème de LAIT* pasteurisée, "
        "ferments lactiques.", "25 cl", COLD),
    "Fromage blanc fermier 500 g": (SMALL, "LAIT écrémé* pasteurisé, crème "
        "de LAIT*, ferments lactiques, présure.", "500 g", COLD),
    "Pain de seigle 500 g": (SMALL, "Farine de SEIGLE* T130, eau, levain "
        "naturel* (farine de SEIGLE*, eau), sel.", "500 g", BREAD),
    "Miel de châtaignier 500 g": (FRESH, None, "500 g", HONEY),
    "Miel de printemps 500 g": (FRESH, None, "500 g", HONEY),
    "Jus de pomme et poire 1 L": (SMALL, "Pur jus de pomme* (70 %), pur jus "
        "de poire* (30 %).", "1 L", OPENED),
    "Fromage de chèvre frais": (SMALL, "LAIT cru de chèvre*, ferments "
        "lactiques, présure, sel.", "150 g", COLD),
    "Tomme de chèvre": (SMALL, "LAIT cru de chèvre*, sel, ferments "
        "lactiques, présure.", None, CHEESE),
    "Farine de blé T65 1 kg": (FRESH, None, "1 kg", DRY),
    "Pain complet au levain 800 g": (SMALL, "Farine complète de BLÉ* T150, "
        "eau, levain naturel*, sel.", "800 g", BREAD),
    "Huile d'olive vierge extra 50 cl": (SMALL, "Huile d'olive vierge "
        "extra*.", "50 cl", DRY),
    "Miel de lavande 500 g": (FRESH, None, "500 g", HONEY),
    # bio_shop.py
    "Terrine de poulet 180 g": (SMALL, "Viande de poulet* (60 %), foie de "
        "volaille*, oignon*, sel, poivre*.", "180 g", OPENED),
    "Fromage frais aux herbes 150 g": (SMALL, "LAIT* pasteurisé, crème de "
        "LAIT*, ciboulette* et persil* (3 %), sel, ferments lactiques, "
        "présure.", "150 g", COLD),
    "Lait ribot 1 L": (SMALL, "LAIT écrémé* fermenté, ferments lactiques.",
        "1 L", COLD),
    "Tomme aux orties": (SMALL, "LAIT de vache* pasteurisé, orties* (1 %), "
        "sel, ferments lactiques, présure.", None, CHEESE),
    "Faisselle 500 g": (SMALL, "LAIT entier* pasteurisé, ferments "
        "lactiques, présure.", "500 g", COLD),
    "Cidre brut 75 cl": (SMALL, "Jus de pomme* fermenté, conservateur : "
        "SULFITES.", "75 cl", CIDER),
    "Cidre doux 75 cl": (SMALL, "Jus de pomme* fermenté, conservateur : "
        "SULFITES.", "75 cl", CIDER),
    "Poiré 75 cl": (SMALL, "Jus de poire* fermenté, conservateur : "
        "SULFITES.", "75 cl", CIDER),
    "Vinaigre de cidre 50 cl": (SMALL, "Vinaigre de cidre*, conservateur : "
        "SULFITES.", "50 cl", DRY),
    "Yaourt nature fermier 4 × 125 g": (SMALL,
        "LAIT entier*, ferments lactiques.", "4 × 125 g", COLD),
    "Riz au lait 2 × 150 g": (SMALL, "LAIT entier* (75 %), riz rond*, sucre "
        "de canne*, vanille*.", "2 × 150 g", COLD),
    "Beurre doux 250 g": (SMALL, "Crème de LAIT* pasteurisée, ferments "
        "lactiques.", "250 g", COLD),
    "Crème dessert au chocolat 2 × 125 g": (SMALL, "LAIT entier*, sucre de "
        "canne*, chocolat noir* (7 %) (pâte de cacao*, sucre de canne*), "
        "amidon de maïs*.", "2 × 125 g", COLD),
    "Baguette paysanne": (SMALL, LEAVEN, "250 g",
        "À conserver dans un endroit sec ; à consommer dans la journée."),
    "Pain aux graines 500 g": (SMALL, "Farine de BLÉ* T80, eau, graines* "
        "(tournesol*, lin*, SÉSAME*) (12 %), levain naturel*, sel.", "500 g",
        BREAD),
    "Kouign-amann 400 g": (SMALL, "Farine de BLÉ*, BEURRE* demi-sel (30 %), "
        "sucre de canne*, eau, levure, sel de Guérande.", "400 g", BREAD),
    "Sablés bretons 200 g": (SMALL, "Farine de BLÉ*, BEURRE* demi-sel "
        "(30 %), sucre de canne*, jaunes d'ŒUFS*, poudre à lever "
        "(bicarbonate de sodium).", "200 g", DRY),
    "Brioche tressée 400 g": (SMALL, "Farine de BLÉ* T45, ŒUFS* (20 %), "
        "BEURRE* (15 %), sucre de canne*, LAIT*, levure, sel.", "400 g",
        BREAD),
    "Miel de sarrasin 500 g": (FRESH, None, "500 g", HONEY),
    "Pain d'épices au miel 300 g": (SMALL, "Farine de SEIGLE*, miel* (40 %), "
        "farine de BLÉ*, épices* (cannelle*, anis vert*, muscade*), poudre à "
        "lever (bicarbonate de sodium).", "300 g", DRY),
    "Hydromel 75 cl": (SMALL, "Eau, miel* (30 %), levures, conservateur : "
        "SULFITES.", "75 cl", CIDER),
    "Compote pomme-poire 700 g": (SMALL, "Pomme* (70 %), poire* (29 %), jus "
        "de citron*.", "700 g", OPENED),
    "Confiture de poire 320 g": (SMALL, "Poire* (55 %), sucre de canne*, jus "
        "de citron*, gélifiant : pectine de fruits.", "320 g", OPENED),
    "Pommes séchées 100 g": (SMALL, "Pomme* séchée.", "100 g", DRY),
    }


def food_values(name):
    "The food information of the product named name, by field."
    if name not in FOOD_INFORMATION:
        return {}
    kind, ingredients, net_quantity, storage = FOOD_INFORMATION[name]
    if ingredients and '*' in ingredients:
        ingredients += '\n' + ORGANIC
    return {
        'food_kind': kind,
        'food_ingredients': ingredients,
        'food_net_quantity': net_quantity,
        'food_storage': storage,
        }


def load_uoms():
    "The units of measure by symbol, with a « Botte » (bunch) unit."
    Uom = Model.get('product.uom')
    unit, = Uom.find([('symbol', '=', 'u')])
    kilogram, = Uom.find([('symbol', '=', 'kg')])
    bunch = get_or_none('product.uom', [('symbol', '=', 'botte')])
    if not bunch:
        bunch = Uom(name="Botte", symbol='botte', category=unit.category,
            rate=1, factor=1, rounding=1, digits=0)
        bunch.save()
    return {'u': unit, 'kg': kilogram, 'botte': bunch}


def load_categories():
    "The (non accounting) product categories, by name."
    Category = Model.get('product.category')
    names = [VEG, FRUIT, DAIRY, GROCERY, BAKERY, JARS, PACKAGING]
    existing = {c.name: c for c in Category.find([
                ('name', 'in', names), ('accounting', '=', False)])}
    new = [Category(name=n) for n in names if n not in existing]
    Category.save(new)
    existing.update((c.name, c) for c in new)
    return existing


def _template(name, uom, list_price, cost_price, category, account_category,
        **values):
    Template = Model.get('product.template')
    values.setdefault('salable', True)
    # after the origin, whose change presets a food kind
    values.update(food_values(name))
    template = Template(name=name, type='goods',
        purchasable=True, account_category=account_category,
        list_price=Decimal(list_price), **values)
    # after the origin, whose change presets a unit
    template.default_uom = uom
    Category = Model.get('product.category')
    template.categories.append(Category(category.id))
    template.products[0].cost_price = Decimal(cost_price)
    return template


def complete_food():
    """The food information of the partner products of FOOD_INFORMATION
    loaded without it, where it is still empty."""
    Template = Model.get('product.template')
    templates = Template.find([
            ('name', 'in', list(FOOD_INFORMATION)),
            ('origin', '=', 'partner'),
            ('food_ingredients', '=', None),
            ('food_net_quantity', '=', None),
            ('food_storage', '=', None),
            ])
    for template in templates:
        for field, value in food_values(template.name).items():
            setattr(template, field, value)
    Template.save(templates)


def load_products(gardens, farms, account_categories):
    "The products of every garden that has none yet, and shared supplies."
    Template = Model.get('product.template')
    Party = Model.get('party.party')
    uoms, categories = load_uoms(), load_categories()
    food = account_categories[FOOD]
    complete_food()

    for key, company in gardens.items():
        if Template.find([('company', '=', company.id)], limit=1):
            continue
        with company_context(company):
            templates = []
            for name, uom, price, cost, months, category, *allergens in (
                    VEGETABLES[key]):
                templates.append(_template(name, uoms[uom], price, cost,
                        categories[category], food, company=company,
                        origin='own', organic=True, season_months=months,
                        allergens=allergens[0] if allergens else []))
            for name, uom, price, cost, allergens, category in PROCESSED[key]:
                templates.append(_template(name, uoms[uom], price, cost,
                        categories[category], food, company=company,
                        origin='processed', organic=True,
                        allergens=allergens))
            for farm, rows in PARTNER_PRODUCTS.items():
                producer = farms[farm]
                if producer.company != company:
                    continue
                certified = Party(producer.id).organic_certified
                for (name, uom, price, cost, allergens, months,
                        category) in rows:
                    template = _template(name, uoms[uom], price, cost,
                        categories[category], food, company=company,
                        origin='partner', producer=producer,
                        organic=certified, allergens=allergens,
                        season_months=months)
                    template.product_suppliers.new(party=producer,
                        company=company)
                    templates.append(template)
            Template.save(templates)

    if Template.find([('origin', '=', 'bought'), ('company', '=', None)],
            limit=1):
        return
    first, *others = gardens.values()
    with company_context(first):
        templates = []
        for (name, uom, price, cost, organic, agricultural, allergens,
                account, category, salable) in BOUGHT:
            template = _template(name, uoms[uom], price, cost,
                categories[category], account_categories[account],
                company=None, origin='bought', organic=organic,
                agricultural=agricultural, allergens=allergens,
                salable=salable)
            for company in others:
                template.list_prices.new(company=company,
                    list_price=Decimal(price))
                template.products[0].cost_prices.new(company=company,
                    cost_price=Decimal(cost))
            templates.append(template)
        Template.save(templates)

"""Sites of the gardens: one stock warehouse per site, by kind."""
from proteus import Model

# garden key: [(code, name, site kind)]
SITES = {
    'doubs': [
        ('DB-PAR', "Parcelles de Chalezeule", 'plots'),
        ('DB-CON', "Conserverie de Chalezeule", 'conserverie'),
        ('DB-LOG', "Plateforme logistique de Besançon", 'logistics'),
        ('DB-BOU', "Boutique des Jardins à Besançon", 'shop'),
        ('DB-VAN', "Épicerie itinérante du Doubs", 'van'),
        ],
    'rennes': [
        ('RN-PAR', "Parcelles de Thorigné-Fouillard", 'plots'),
        ('RN-LEG', "Légumerie de Cesson-Sévigné", 'legumerie'),
        ('RN-BOU', "Magasin de producteurs de Thorigné", 'shop'),
        ('RN-VN1', "Camion-épicerie du pays de Liffré", 'van'),
        ('RN-VN2', "Camion-épicerie de la Vilaine", 'van'),
        ],
    'lyon': [
        ('LY-PAR', "Parcelles de Brignais", 'plots'),
        ('LY-CON', "Conserverie des Coteaux", 'conserverie'),
        ('LY-LEG', "Légumerie de Givors", 'legumerie'),
        ('LY-LOG', "Plateforme logistique de Brignais", 'logistics'),
        ('LY-VAN', "Épicerie itinérante des Monts du Lyonnais", 'van'),
        ],
    }
# The locations that a warehouse needs: field, name, code suffix
ZONES = [
    ('input_location', "Réception", 'REC'),
    ('output_location', "Expédition", 'EXP'),
    ('storage_location', "Stock", 'STO'),
    ]


def load_sites(gardens):
    "The warehouses of every garden, with their zones."
    Location = Model.get('stock.location')
    # the warehouse that the stock module creates becomes the first site
    standard = Location.find([('code', '=', 'WH'), ('company', '=', None)])
    if standard:
        code, name, kind = SITES['doubs'][0]
        standard[0].code, standard[0].name = code, name
        standard[0].company, standard[0].site_kind = gardens['doubs'], kind
        standard[0].save()
    done = {w.code for w in Location.find([('type', '=', 'warehouse')])}
    missing = [(gardens[key], code, name, kind)
        for key, sites in SITES.items()
        for code, name, kind in sites if code not in done]
    zones = [Location(name=zone, code=f'{code}-{suffix}', type='storage',
            company=company)
        for company, code, _, _ in missing for _, zone, suffix in ZONES]
    Location.save(zones)
    warehouses = []
    for i, (company, code, name, kind) in enumerate(missing):
        warehouse = Location(name=name, code=code, type='warehouse',
            company=company, site_kind=kind)
        for (field, _, _), zone in zip(ZONES, zones[i * 3:i * 3 + 3]):
            setattr(warehouse, field, zone)
        warehouses.append(warehouse)
    Location.save(warehouses)

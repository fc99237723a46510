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
        ('RN-BOU', "Boutique de producteurs de Thorigné", 'shop'),
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


def load_sites(gardens):
    """The warehouses of every garden, at the garden's address; the model
    gives each the stock zones it needs."""
    Location = Model.get('stock.location')
    # the warehouse that the stock module creates becomes the first site
    standard = Location.find([('code', '=', 'WH'), ('company', '=', None)])
    if standard:
        code, name, kind = SITES['doubs'][0]
        standard[0].code, standard[0].name = code, name
        standard[0].company, standard[0].site_kind = gardens['doubs'], kind
        standard[0].address = gardens['doubs'].party.addresses[0]
        standard[0].save()
    done = {w.code for w in Location.find([('type', '=', 'warehouse')])}
    Location.save([Location(name=name, code=code, type='warehouse',
                company=gardens[key], site_kind=kind,
                address=gardens[key].party.addresses[0])
            for key, sites in SITES.items()
            for code, name, kind in sites if code not in done])

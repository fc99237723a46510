"""Partner farms of the gardens and their organic certificates."""
import datetime as dt

from proteus import Model

from .common import today
from .network import euro_and_france

# garden key: [(key, name, street, postal code, city, latitude, longitude,
#   (control body, certificate number, scope, days since valid_from,
#    days until valid_to: negative when expired))]
# Invented farms in real villages; some lie beyond the garden's radius.
PRODUCERS = {
    'doubs': [
        ('combe', "GAEC de la Combe Saint-Pierre", "Route de Silley",
            '25330', "Amancey", 47.0389, 6.0678,
            ('FR-BIO-01', '25-2019-0412', ['livestock', 'processing'],
                300, 420)),
        ('lomont', "Ferme des Vergers du Lomont", "Lieu-dit Les Prés",
            '25150', "Pont-de-Roide-Vermondans", 47.3872, 6.7722,
            ('FR-BIO-10', '25-2021-1187', ['crops'], 340, 12)),
        ('ruchers', "Les Ruchers du Haut-Doubs", "8 chemin des Abeilles",
            '25300', "Pontarlier", 46.9047, 6.3547,
            ('FR-BIO-01', '25-2020-0733', ['livestock'], 120, 600)),
        ('epis', "Ferme des Trois Épis", "2 rue du Moulin", '67210',
            "Obernai", 48.4622, 7.4817,
            ('FR-BIO-15', '67-2018-2204', ['crops', 'processing'], 200, 530)),
        ],
    'rennes': [
        ('landes', "GAEC des Landes de Liffré", "La Ville-Olivier", '35340',
            "Liffré", 48.2290, -1.4870,
            ('FR-BIO-01', '35-2017-0950', ['livestock'], 90, 640)),
        ('vilaine', "Fromagerie de la Vilaine", "Le Haut-Bois", '35470',
            "Bain-de-Bretagne", 47.8422, -1.6839,
            ('FR-BIO-10', '35-2020-1422', ['livestock', 'processing'],
                340, 25)),
        ('coglais', "Cidrerie du Coglais", "La Croix-Avenel", '35460',
            "Saint-Brice-en-Coglès", 48.4108, -1.3689,
            ('FR-BIO-15', '35-2022-0318', ['crops', 'processing'], 60, 700)),
        ('retz', "Ferme maraîchère du Pays de Retz", "La Garnache",
            '44270', "Machecoul-Saint-Même", 46.9942, -1.8236,
            ('FR-BIO-01', '44-2016-0091', ['crops'], 150, 500)),
        # the farms of the Wednesday collection round, north-east of Rennes
        ('bouexiere', "Ferme laitière du Bas-Plessis", "Le Bas-Plessis",
            '35340', "La Bouëxière", 48.1905, -1.4280,
            ('FR-BIO-01', '35-2019-0688', ['livestock', 'processing'],
                220, 510)),
        ('gosne', "Fournil paysan de Gosné", "La Ville-Rouault", '35140',
            "Gosné", 48.2530, -1.4560,
            ('FR-BIO-10', '35-2020-0215', ['crops', 'processing'], 150,
                580)),
        ('chasne', "Champignonnière de l'Illet", "La Touche", '35250',
            "Chasné-sur-Illet", 48.2390, -1.5520,
            ('FR-BIO-15', '35-2021-0412', ['crops'], 75, 660)),
        ('sulpice', "Miellerie de la forêt de Rennes", "La Lande-Gautier",
            '35250', "Saint-Sulpice-la-Forêt", 48.2230, -1.5690,
            ('FR-BIO-01', '35-2021-0844', ['livestock'], 80, 650)),
        ('servon', "Vergers de Servon", "La Grande-Haie", '35530',
            "Servon-sur-Vilaine", 48.1150, -1.4450,
            ('FR-BIO-10', '35-2016-0529', ['crops', 'processing'], 260,
                470)),
        ],
    'lyon': [
        ('chevrerie', "Chèvrerie des Monts du Lyonnais", "Le Plat",
            '69850', "Saint-Martin-en-Haut", 45.6597, 4.5614,
            ('FR-BIO-01', '69-2019-0277', ['livestock', 'processing'],
                250, 480)),
        ('pilat', "Les Vergers du Pilat", "Chemin de la Croix-Blanche",
            '42410', "Pélussin", 45.4197, 4.6822,
            ('FR-BIO-10', '42-2015-0604', ['crops'], 405, -40)),
        ('dombes', "Moulin de la Dombes", "Route de Bouligneux", '01330',
            "Villars-les-Dombes", 46.0022, 5.0306,
            ('FR-BIO-15', '01-2018-1130', ['crops', 'processing'], 30, 720)),
        ('buis', "Huilerie des Baronnies", "Quartier Saint-Trophime",
            '26170', "Buis-les-Baronnies", 44.2756, 5.2714,
            ('FR-BIO-01', '26-2014-0088', ['crops', 'processing'], 180, 550)),
        ],
    }


def load_producers(gardens):
    """The partner farms of every garden that has none yet, each with its
    certificate. Return {farm key: party}."""
    Party = Model.get('party.party')
    Certificate = Model.get('cocagne.organic.certificate')
    Certifier = Model.get('cocagne.organic.certifier')
    certifiers = {c.code: c for c in Certifier.find([])}
    _, france = euro_and_france()
    farms = {}
    for key, rows in PRODUCERS.items():
        company = gardens[key]
        existing = {p.name: p for p in Party.find([
                    ('producer', '=', True), ('company', '=', company.id)])}
        parties, certificates = [], []
        for (farm, name, street, postal_code, city, lat, lon,
                certificate) in rows:
            if name in existing:
                farms[farm] = existing[name]
                continue
            party = Party(name=name, producer=True, company=company)
            address, = party.addresses
            address.street = street
            address.postal_code = postal_code
            address.city = city
            address.country = france
            address.latitude = lat
            address.longitude = lon
            farms[farm] = party
            parties.append((party, certificate))
        Party.save([p for p, _ in parties])
        for party, (certifier, number, scope, since, until) in parties:
            certificates.append(Certificate(company=company, producer=party,
                    certifier=certifiers[certifier], number=number,
                    scope=scope,
                    valid_from=today() - dt.timedelta(days=since),
                    valid_to=today() + dt.timedelta(days=until)))
        Certificate.save(certificates)
    return farms


def report_lapses(gardens):
    """Register the gardens on the daily check of the certificates and run
    it once, as the scheduler would."""
    Cron = Model.get('ir.cron')
    cron, = Cron.find([
            ('method', '=', 'cocagne.organic.certificate|report_lapses')])
    registered = {c.id for c in cron.companies}
    cron.companies.extend(Model.get('company.company')(c.id)
        for c in gardens.values() if c.id not in registered)
    cron.save()
    cron.click('run_once')

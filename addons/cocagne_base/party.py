"""Producers: partner farms are parties flagged as producers."""
from sql import Literal

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import geo, organic


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    producer = fields.Boolean(
        "Producer", help="Check for a farm whose products the garden sells.")
    company = fields.Many2One(
        'company.company', "Garden",
        states={
            'required': Eval('producer', False),
            },
        help="The garden that manages this party.\n"
        "Leave empty to share the party with the whole network.")
    organic_certificates = fields.One2Many(
        'cocagne.organic.certificate', 'producer', "Organic Certificates",
        states={
            'invisible': ~Eval('producer', False),
            })
    organic_state = fields.Function(fields.Selection([
                (None, ""),
                ('valid', "Valid"),
                ('expiring', "Expiring"),
                ('future', "Not yet valid"),
                ('expired', "Expired"),
                ], "Organic Certification",
            states={
                'invisible': ~Eval('producer', False),
                }),
        'get_organic_state')
    organic_certified = fields.Function(
        fields.Boolean("Certified Organic Today",
            help="A certificate covers the producer today: its products "
            "may be sold as organic."),
        'get_organic_certified')
    garden_distance = fields.Function(
        fields.Float("Distance (km)", digits=(6, 1),
            states={
                'invisible': ~Eval('producer', False),
                },
            help="As the crow flies, from the garden to the first "
            "geolocated address."),
        'get_garden_distance')
    local = fields.Function(
        fields.Boolean("Local",
            states={
                'invisible': ~Eval('producer', False),
                },
            help="Within the local radius of the garden."),
        'get_garden_distance')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="producer"]', 'states', {
                    'invisible': ~Eval('producer', False),
                    }),
            ]

    @classmethod
    def default_company(cls):
        "A party created in a garden belongs to it, producer or not."
        return Transaction().context.get('company')

    @fields.depends('producer', 'company')
    def on_change_producer(self):
        if self.producer and not self.company:
            self.company = Transaction().context.get('company')

    @property
    def coordinates(self):
        for address in self.addresses:
            if address.coordinates:
                return address.coordinates

    @property
    def organic_periods(self):
        "The (valid from, valid to) periods of the producer's certificates."
        return [(c.valid_from, c.valid_to) for c in self.organic_certificates]

    def organic_certified_on(self, date):
        "Return whether a certificate of the producer covers date."
        return organic.covers(self.organic_periods, date)

    def get_organic_certified(self, name):
        return self.organic_certified_on(Pool().get('ir.date').today())

    @classmethod
    def get_organic_state(cls, parties, name):
        pool = Pool()
        Configuration = pool.get('cocagne.configuration')
        today = pool.get('ir.date').today()
        return {p.id: organic.producer_state(p.organic_periods, today,
                Configuration.garden_value(
                    'certificate_expiring_days', p.company))
            for p in parties}

    @classmethod
    def get_garden_distance(cls, parties, names):
        Configuration = Pool().get('cocagne.configuration')
        result = {n: {} for n in names}
        for party in parties:
            distance = None
            if party.producer and party.company:
                distance = party.company_distance()
            if 'garden_distance' in names:
                result['garden_distance'][party.id] = distance
            if 'local' in names:
                result['local'][party.id] = (distance is not None
                    and distance <= Configuration.garden_value(
                        'local_radius', party.company))
        return result

    def company_distance(self):
        "Distance in km from the garden, None if either is not geolocated."
        return geo.distance(
            self.company.coordinates, self.coordinates, ndigits=1)


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    producer_count = fields.Function(
        fields.Integer("Producers",
            help="The active partner farms of the garden."),
        'get_producer_count')

    @classmethod
    def get_producer_count(cls, companies, name):
        party = Pool().get('party.party').__table__()
        return cls.count_by_company(companies, party,
            (party.producer == Literal(True))
            & (party.active == Literal(True)))

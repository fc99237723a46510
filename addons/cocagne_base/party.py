"""Producers: partner farms are parties flagged as producers."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import geo, organic
from .place import GeolocatedMixin


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
        if Transaction().context.get('producer'):
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

    @classmethod
    def get_organic_state(cls, parties, name):
        today = Pool().get('ir.date').today()
        return {p.id: organic.producer_state(p.organic_periods, today)
            for p in parties}

    @classmethod
    def get_garden_distance(cls, parties, names):
        result = {n: {} for n in names}
        for party in parties:
            distance = None
            if party.producer and party.company:
                distance = party.company_distance()
            if 'garden_distance' in names:
                result['garden_distance'][party.id] = distance
            if 'local' in names:
                result['local'][party.id] = (distance is not None
                    and distance <= party.company.local_radius)
        return result

    def company_distance(self):
        "Distance in km from the garden, None if either is not geolocated."
        return geo.distance(
            self.company.coordinates, self.coordinates, ndigits=1)


class Address(GeolocatedMixin, metaclass=PoolMeta):
    __name__ = 'party.address'

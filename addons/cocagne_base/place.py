"""Geolocated places where the gardens meet their customers."""
from sql import Literal

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import geo, geocoding
from .exceptions import CoordinatesError, GeocodingError

PLACE_KINDS = [
    ('drop_point', "Drop point"),
    ('market_square', "Market square"),
    ('customer_site', "Customer site"),
    ('garden_site', "Garden site"),
    ]


class GeolocatedMixin:
    """Latitude and longitude in decimal degrees, checked for range, and
    found from the street, postal_code, city and country fields of the
    class by the "Locate" button."""
    __slots__ = ()
    latitude = fields.Float(
        "Latitude", digits=(9, 6),
        help="In decimal degrees, between -90 and 90 (WGS 84).")
    longitude = fields.Float(
        "Longitude", digits=(9, 6),
        help="In decimal degrees, between -180 and 180 (WGS 84).")
    map_url = fields.Function(
        fields.Char("Map", help="The place on OpenStreetMap."),
        'on_change_with_map_url')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'geocode': {},
                })

    @classmethod
    def default_country(cls):
        "The country of the current garden's address, else France."
        pool = Pool()
        Company = pool.get('company.company')
        Country = pool.get('country.country')
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            address = Company(company_id).party.address_get()
            if address and address.country:
                return address.country.id
        countries = Country.search([('code', '=', 'FR')], limit=1)
        if countries:
            return countries[0].id

    @fields.depends('latitude', 'longitude')
    def on_change_with_map_url(self, name=None):
        return geo.map_url(self.latitude, self.longitude)

    @property
    def coordinates(self):
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names & {'latitude', 'longitude'}:
            for record in records:
                if (not geo.valid_latitude(record.latitude)
                        or not geo.valid_longitude(record.longitude)):
                    raise CoordinatesError(gettext(
                            'cocagne_base.msg_invalid_coordinates',
                            record=record.rec_name,
                            latitude=record.latitude,
                            longitude=record.longitude))

    @fields.depends('street', 'postal_code', 'city', 'country')
    def geocoding_query(self):
        """Return the address to geocode as one line.

        Raise GeocodingError when the country is not covered by the BAN or
        when neither postal code nor city is known."""
        if self.country and self.country.code not in geocoding.BAN_COUNTRIES:
            raise GeocodingError(gettext(
                    'cocagne_base.msg_geocoding_foreign_country',
                    country=self.country.name))
        query = geocoding.address_query(
            self.street, self.postal_code, self.city)
        if not query:
            raise GeocodingError(gettext(
                    'cocagne_base.msg_geocoding_no_address'))
        return query

    @ModelView.button_change(
        'latitude', 'longitude', methods=['geocoding_query'])
    def geocode(self):
        "Fill latitude and longitude from the address, or change nothing."
        query = self.geocoding_query()
        try:
            answer = geocoding.fetch(query)
        except (OSError, ValueError) as exception:
            raise GeocodingError(gettext(
                    'cocagne_base.msg_geocoding_unreachable',
                    error=exception)) from exception
        match = geocoding.best_match(answer)
        if not match:
            raise GeocodingError(gettext(
                    'cocagne_base.msg_geocoding_not_found', address=query))
        if match.score < geocoding.MIN_SCORE:
            raise GeocodingError(gettext(
                    'cocagne_base.msg_geocoding_uncertain',
                    address=query, label=match.label))
        self.latitude, self.longitude = match.latitude, match.longitude


class Place(DeactivableMixin, GeolocatedMixin, ModelSQL, ModelView):
    __name__ = 'cocagne.place'
    name = fields.Char("Name", required=True)
    kind = fields.Selection(PLACE_KINDS, "Kind", required=True)
    company = fields.Many2One('company.company', "Garden", required=True)
    street = fields.Text("Street")
    postal_code = fields.Char("Postal Code")
    city = fields.Char("City")
    country = fields.Many2One('country.country', "Country")
    contact = fields.Char("Contact",
        help="Who to call on the spot: a name and a phone number.")
    comment = fields.Text("Comment")
    distance = fields.Function(
        fields.Float("Distance (km)", digits=(6, 1),
            help="As the crow flies, from the garden."),
        'get_distance')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'drop_point'

    def get_distance(self, name):
        return self.distance_to(self.company)

    def distance_to(self, other):
        "Distance in km to another geolocated record, None if unknown."
        return geo.distance(self.coordinates, other.coordinates, ndigits=1)


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    place_count = fields.Function(
        fields.Integer("Places", help="The active places of the garden."),
        'get_place_count')

    @classmethod
    def get_place_count(cls, companies, name):
        place = Pool().get('cocagne.place').__table__()
        return cls.count_by_company(
            companies, place, place.active == Literal(True))

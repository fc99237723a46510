"""Geolocated places where the gardens meet their customers."""
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import geo

PLACE_KINDS = [
    ('drop_point', "Drop point"),
    ('market_square', "Market square"),
    ('customer_site', "Customer site"),
    ('garden_site', "Garden site"),
    ]


class GeolocatedMixin:
    "Latitude and longitude in decimal degrees, checked for range."
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
                    raise ValidationError(gettext(
                            'cocagne_base.msg_invalid_coordinates',
                            record=record.rec_name,
                            latitude=record.latitude,
                            longitude=record.longitude))


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

    @classmethod
    def default_country(cls):
        Country = Pool().get('country.country')
        countries = Country.search([('code', '=', 'FR')], limit=1)
        if countries:
            return countries[0].id

    def get_distance(self, name):
        return self.distance_to(self.company)

    def distance_to(self, other):
        "Distance in km to another geolocated record, None if unknown."
        return geo.distance(self.coordinates, other.coordinates, ndigits=1)

"""Cold storage: the cold rooms of the sites with their target temperature
range, the log of their temperature readings, and the daily report of the
readings missing (food-safety self-checks)."""
import datetime as dt
import json
from collections import defaultdict

from trytond.i18n import gettext, ngettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from . import cold
from .exceptions import ColdRoomError

TEMPERATURE_DIGITS = (4, 1)


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'
    cold_room = fields.Boolean(
        "Cold Room",
        states={
            'invisible': Eval('type') != 'storage',
            },
        help="A refrigerated room or cabinet whose temperature is checked "
        "every day.")
    temperature_min = fields.Float(
        "Minimum Temperature (°C)", digits=TEMPERATURE_DIGITS,
        states={
            'invisible': ~Eval('cold_room'),
            'required': Bool(Eval('cold_room')),
            })
    temperature_max = fields.Float(
        "Maximum Temperature (°C)", digits=TEMPERATURE_DIGITS,
        states={
            'invisible': ~Eval('cold_room'),
            'required': Bool(Eval('cold_room')),
            })

    @classmethod
    def default_cold_room(cls):
        return False

    @property
    def garden(self):
        "The garden of the location: its own or its site's."
        if self.company:
            return self.company
        if self.warehouse:
            return self.warehouse.company

    @classmethod
    def validate_fields(cls, locations, field_names):
        super().validate_fields(locations, field_names)
        if field_names & {'temperature_min', 'temperature_max'}:
            lang = Pool().get('ir.lang').get()
            for location in locations:
                if cold.negative_range(
                        location.temperature_min, location.temperature_max):
                    raise ColdRoomError(gettext(
                            'cocagne_transformation'
                            '.msg_cold_room_negative_range',
                            location=location.rec_name,
                            minimum=lang.format_number(
                                location.temperature_min, 1),
                            maximum=lang.format_number(
                                location.temperature_max, 1)))


class Reading(GardenOwnedMixin, ModelSQL, ModelView):
    "A temperature reading of a cold room"
    __name__ = 'cocagne.cold_room.reading'
    __string__ = "Temperature Reading"
    company = fields.Many2One('company.company', "Garden", required=True)
    location = fields.Many2One(
        'stock.location', "Cold Room", required=True, ondelete='CASCADE',
        domain=[
            ('cold_room', '=', True),
            ('company', 'in', [Eval('company', -1), None]),
            ])
    temperature = fields.Float(
        "Temperature (°C)", digits=TEMPERATURE_DIGITS, required=True)
    time = fields.DateTime("Time", required=True)
    employee = fields.Many2One(
        'company.employee', "Recorded By",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The employee who read the thermometer.")
    user = fields.Many2One('res.user', "User", readonly=True,
        help="The user who entered the reading.")
    out_of_range = fields.Boolean(
        "Out of Range", readonly=True,
        help="The temperature was outside the range of the cold room when "
        "it was entered.")
    target = fields.Function(
        fields.Char("Target Range"), 'on_change_with_target')
    corrective_action = fields.Char(
        "Corrective Action",
        help="What was done about a temperature out of range.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('time', 'DESC'), ('id', 'DESC')]
        # the daily report searches the readings of the rooms on a day
        cls._sql_indexes.add(
            Index(t, (t.location, Index.Equality()), (t.time, Index.Range())))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_time(cls):
        return dt.datetime.now().replace(microsecond=0)

    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def default_employee(cls):
        User = Pool().get('res.user')
        employee = User(Transaction().user).employee
        if employee and employee.company.id == cls.default_company():
            return employee.id

    @classmethod
    def default_out_of_range(cls):
        return False

    @fields.depends('location')
    def on_change_with_target(self, name=None):
        if self.location and self.location.cold_room:
            lang = Pool().get('ir.lang').get()
            return gettext('cocagne_transformation.msg_cold_room_range',
                minimum=lang.format_number(self.location.temperature_min, 1),
                maximum=lang.format_number(self.location.temperature_max, 1))

    @fields.depends('location', 'temperature')
    def on_change_with_out_of_range(self):
        if self.location:
            return cold.out_of_range(self.temperature,
                self.location.temperature_min, self.location.temperature_max)
        return False

    def compute_fields(self, field_names=None):
        cls = self.__class__
        values = super().compute_fields(field_names=field_names)
        if (field_names is None
                or (cls.out_of_range.on_change_with & field_names)):
            flagged = self.on_change_with_out_of_range()
            if getattr(self, 'out_of_range', None) != flagged:
                values['out_of_range'] = flagged
        return values

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        timezone = self.company.timezone if self.company else None
        time = cold.local_time(self.time, timezone)
        return (f'{self.location.rec_name} '
            f'{lang.strftime(time.date())} {time:%H:%M}')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('location.rec_name',) + tuple(clause[1:])]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('out_of_range'), 'danger', '')),
            ]

    @classmethod
    def report_missing(cls, date=None):
        """Notify the users of each garden of the cold rooms that have no
        reading on date (today by default, in the garden's timezone): the
        daily task, run in the evening."""
        pool = Pool()
        Location = pool.get('stock.location')
        Date = pool.get('ir.date')
        company_id = Transaction().context.get('company')
        gardens = defaultdict(list)
        for room in Location.search([('cold_room', '=', True)],
                order=[('name', 'ASC'), ('id', 'ASC')]):
            garden = room.garden
            if garden and company_id in {None, garden.id}:
                gardens[garden].append(room)
        for garden, rooms in gardens.items():
            with Transaction().set_context(company=garden.id):
                day = date or Date.today()
            start, end = cold.day_bounds(day, garden.timezone)
            readings = cls.search([
                    ('location', 'in', [r.id for r in rooms]),
                    ('time', '>=', start),
                    ('time', '<', end),
                    ])
            missing = cold.rooms_without_reading(rooms,
                [(r.location, r.time) for r in readings], day,
                garden.timezone)
            if missing:
                cls._notify_missing(garden, missing, day)

    @classmethod
    def _notify_missing(cls, company, rooms, day):
        """Notify the garden's Cocagne users, each in their language, as
        cocagne_base notifies of lapsed organic certificates."""
        pool = Pool()
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        ModelData = pool.get('ir.model.data')
        group = ModelData.get_id('cocagne_base', 'group_cocagne')
        users = User.search([
                ('companies', '=', company.id),
                ('groups', '=', group),
                ])
        notifications = []
        for user in users:
            language = user.language.code if user.language else None
            with Transaction().set_context(language=language):
                notifications.append({
                        'user': user.id,
                        'label': ngettext(
                            'cocagne_transformation'
                            '.msg_notify_cold_rooms_missing',
                            len(rooms), count=len(rooms),
                            company=company.rec_name,
                            date=Lang.get(language).strftime(day)),
                        'description': ', '.join(
                            r.rec_name for r in rooms)[:255],
                        'icon': 'tryton-warning',
                        'model': 'stock.location',
                        'records': json.dumps([r.id for r in rooms]),
                        })
        Notification.create(notifications)

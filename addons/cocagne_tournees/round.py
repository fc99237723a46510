"""Rounds: the weekly, ordered stops of a van or a delivery, their planned
times and the optimisation of their order."""
import datetime as dt
import json
import secrets

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, sequence_ordered, fields)
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from . import routing
from .exceptions import OptimiseError, RoundError

KINDS = [
    ('grocery', "Grocery van"),
    ('basket', "Basket delivery"),
    ('collection', "Farm collection"),
    ('delivery', "Customer delivery"),
    ]
WEEKDAYS = [
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ('6', "Sunday"),
    ]
OBJECTIVES = [
    ('distance', "Shortest distance"),
    ('duration', "Shortest time"),
    ]
DISTANCE_DIGITS = (16, 1)
# how long the address of a map opened from a round shows it
MAP_KEY_VALIDITY = dt.timedelta(hours=12)


def minutes(time, departure):
    "The minutes from departure (a time) to time, None if time is None."
    if time is None:
        return None
    return (dt.datetime.combine(dt.date.min, time)
        - dt.datetime.combine(dt.date.min, departure)).total_seconds() / 60


def clock(departure, minutes):
    "The time of day minutes after departure (a time)."
    moment = dt.datetime.combine(dt.date.min, departure) + dt.timedelta(
        minutes=round(minutes))
    return moment.time()


class Round(GardenOwnedMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'cocagne.round'
    __string__ = "Round"
    company = fields.Many2One('company.company', "Garden", required=True)
    name = fields.Char("Name", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    site = fields.Many2One(
        'stock.location', "Site", required=True,
        domain=[
            ('type', '=', 'warehouse'),
            ('company', '=', Eval('company', -1)),
            ['OR',
                ('site_kind', '=', None),
                ('site_kind', '!=', 'van'),
                ],
            ],
        help="Where the van is loaded and unloaded, or where the produce "
        "collected is received.")
    van = fields.Many2One(
        'stock.location', "Van", required=True,
        domain=[
            ('type', '=', 'warehouse'),
            ('site_kind', '=', 'van'),
            ('company', '=', Eval('company', -1)),
            ],
        help="The site of kind van that carries the goods.")
    sale_point = fields.Many2One(
        'sale.point', "Sale Point",
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Bool(Eval('van')),
                ('storage_location', 'child_of', [Eval('van', -1)],
                    'parent'),
                ()),
            ],
        states={
            'required': Eval('kind') == 'grocery',
            'invisible': Eval('kind') != 'grocery',
            },
        help="The till of the van: it sells from the van's storage.")
    driver = fields.Many2One('company.employee', "Driver")
    weekdays = fields.MultiSelection(WEEKDAYS, "Weekdays", sort=False)
    departure = fields.Time(
        "Departure", required=True, format='%H:%M',
        help="When the van leaves the start place.")
    start_place = fields.Many2One(
        'cocagne.place', "Start", required=True,
        domain=[('company', '=', Eval('company', -1))])
    end_place = fields.Many2One(
        'cocagne.place', "End", required=True,
        domain=[('company', '=', Eval('company', -1))])
    objective = fields.Selection(
        OBJECTIVES, "Optimise For", required=True,
        help="What the optimisation of the stop order minimises.")
    stops = fields.One2Many('cocagne.round.stop', 'round', "Stops")
    distance = fields.Function(
        fields.Float("Distance (km)", digits=DISTANCE_DIGITS,
            help="By road, estimated from the straight lines and the "
            "garden's detour factor."),
        'get_plan')
    duration = fields.Function(
        fields.TimeDelta("Duration",
            help="From the departure to the return, stops included."),
        'get_plan')
    distance_before = fields.Float(
        "Distance Before (km)", digits=DISTANCE_DIGITS, readonly=True,
        help="The distance of the order before the last optimisation.")
    previous_order = fields.Char("Previous Order", readonly=True)
    runs = fields.One2Many('cocagne.round.run', 'round', "Runs",
        readonly=True)
    map_key = fields.Char("Map Key", readonly=True)
    map_key_expiry = fields.DateTime("Map Key Expiry", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
        cls._buttons.update({
                'optimise': {
                    'invisible': ~Eval('active', True),
                    'depends': ['active'],
                    },
                'undo_optimise': {
                    'invisible': ~Eval('previous_order'),
                    'depends': ['previous_order'],
                    },
                'show_map': {},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'grocery'

    @classmethod
    def default_objective(cls):
        return 'distance'

    @classmethod
    def default_departure(cls):
        return dt.time(8, 0)

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def validate_fields(cls, rounds, field_names):
        super().validate_fields(rounds, field_names)
        if field_names & {'driver', 'company'}:
            for round_ in rounds:
                if round_.driver and round_.driver.company != round_.company:
                    raise RoundError(gettext(
                            'cocagne_tournees.msg_round_driver_garden',
                            driver=round_.driver.rec_name,
                            round=round_.rec_name,
                            garden=round_.company.rec_name))

    def points(self):
        """The (latitude, longitude) of the start, of each stop in order
        and of the end."""
        return ([self.start_place.coordinates]
            + [s.place.coordinates for s in self.stops]
            + [self.end_place.coordinates])

    def road_matrix(self):
        """The function that gives the road distances (km) and durations
        (minutes) between the points of the round, or None to estimate them
        from the straight lines: a module that asks a routing server
        returns its own here."""
        return None

    def problem(self):
        """The matrices, stop times (minutes) and time windows (minutes
        from the departure) of the round in its current order, for
        routing."""
        pool = Pool()
        Configuration = pool.get('cocagne.configuration')
        detour = Configuration.garden_value(
            'round_detour_factor', self.company)
        speed = Configuration.garden_value('round_speed', self.company)
        distances, durations = routing.matrices(
            self.points(), detour=detour, speed=speed,
            road_matrix=self.road_matrix())
        service = [0] + [s.stop_minutes for s in self.stops] + [0]
        windows = [None] + [s.window(self.departure) for s in self.stops] + [
            None]
        return distances, durations, service, windows

    def plan(self):
        """The routing evaluation of the current order and the distance
        matrix, None if some place has no coordinates."""
        if not self.start_place or not self.end_place:
            return None
        try:
            distances, durations, service, windows = self.problem()
        except routing.MissingCoordinates:
            return None
        return routing.evaluate(
            list(range(1, len(self.stops) + 1)),
            distances, durations, service, windows), distances

    @classmethod
    def get_plan(cls, rounds, names):
        result = {n: {} for n in names}
        for round_ in rounds:
            plan, _ = round_.plan() or (None, None)
            if 'distance' in result:
                result['distance'][round_.id] = (
                    round(plan.distance, 1) if plan else None)
            if 'duration' in result:
                result['duration'][round_.id] = (
                    dt.timedelta(minutes=round(plan.duration))
                    if plan else None)
        return result

    @classmethod
    @ModelView.button
    def optimise(cls, rounds):
        """Reorder the stops of each round for the shortest distance or
        time, pinned stops kept in their place, the previous order kept
        for undoing."""
        Stop = Pool().get('cocagne.round.stop')
        to_save = []
        for round_ in rounds:
            if len(round_.stops) < 2:
                continue
            try:
                distances, durations, service, windows = round_.problem()
            except routing.MissingCoordinates as exception:
                places = [p.rec_name for p in round_.places_at(
                        exception.indices)]
                raise OptimiseError(gettext(
                        'cocagne_tournees.msg_optimise_no_coordinates',
                        round=round_.rec_name,
                        places=', '.join(places))) from exception
            pinned = {i for i, s in enumerate(round_.stops, 1) if s.pinned}
            result = routing.optimise(
                distances, durations, service=service, windows=windows,
                pinned=pinned, objective=round_.objective)
            if not result.feasible:
                raise OptimiseError(gettext(
                        'cocagne_tournees.msg_optimise_infeasible',
                        round=round_.rec_name))
            stops = list(round_.stops)
            round_.previous_order = json.dumps([s.id for s in stops])
            round_.distance_before = round(result.original_distance, 1)
            for sequence, index in enumerate(result.order, 1):
                stops[index - 1].sequence = sequence
                to_save.append(stops[index - 1])
        Stop.save(to_save)
        cls.save(rounds)

    @classmethod
    @ModelView.button
    def undo_optimise(cls, rounds):
        "Put the stops back in their order before the last optimisation."
        Stop = Pool().get('cocagne.round.stop')
        to_save = []
        for round_ in rounds:
            if not round_.previous_order:
                continue
            order = json.loads(round_.previous_order)
            stops = {s.id: s for s in round_.stops}
            # stops added since go after those of the previous order
            order += [i for i in stops if i not in order]
            for sequence, stop_id in enumerate(
                    (i for i in order if i in stops), 1):
                stops[stop_id].sequence = sequence
                to_save.append(stops[stop_id])
            round_.previous_order = None
            round_.distance_before = None
        Stop.save(to_save)
        cls.save(rounds)

    @classmethod
    @ModelView.button_action('cocagne_tournees.url_round_map')
    def show_map(cls, rounds):
        """Open the map of the round in the browser, at an address that
        holds a new key: the page is shown to whoever has the address
        until the key expires."""
        if not rounds:
            return
        round_ = rounds[0]
        round_.map_key = secrets.token_urlsafe(24)
        round_.map_key_expiry = dt.datetime.now() + MAP_KEY_VALIDITY
        round_.save()
        database = Transaction().database.name
        return {
            'url': f'/{database}/cocagne/round/{round_.id}/map'
            f'?key={round_.map_key}',
            }

    def check_map_key(self, key):
        "Whether key opens the map of the round now."
        return bool(self.map_key and key
            and secrets.compare_digest(self.map_key, key)
            and self.map_key_expiry
            and dt.datetime.now() < self.map_key_expiry)

    def places_at(self, indices):
        "The places at the routing indices (0 start, then stops, then end)."
        places = ([self.start_place] + [s.place for s in self.stops]
            + [self.end_place])
        return [places[i] for i in indices]

    @classmethod
    def copy(cls, rounds, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('runs')
        default.setdefault('previous_order')
        default.setdefault('distance_before')
        default.setdefault('map_key')
        default.setdefault('map_key_expiry')
        return super().copy(rounds, default=default)


class Stop(sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'cocagne.round.stop'
    __string__ = "Round Stop"
    round = fields.Many2One(
        'cocagne.round', "Round", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    place = fields.Many2One(
        'cocagne.place', "Place", required=True,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Party",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The customer delivered or the farm collected at this stop.")
    stop_time = fields.TimeDelta(
        "Stop Time", required=True,
        domain=[('stop_time', '>=', dt.timedelta(0))],
        help="How long the van stays.")
    window_start = fields.Time(
        "From", format='%H:%M',
        help="The van must not arrive before this time.")
    window_end = fields.Time(
        "Until", format='%H:%M',
        help="The van must arrive by this time.")
    pinned = fields.Boolean(
        "Pinned", help="Optimising the round keeps this stop in its place.")
    planned_arrival = fields.Function(
        fields.Time("Planned Arrival", format='%H:%M'), 'get_planned')
    leg_distance = fields.Function(
        fields.Float("Distance (km)", digits=DISTANCE_DIGITS,
            help="From the previous stop."),
        'get_planned')
    note = fields.Text("Note")

    @classmethod
    def default_stop_time(cls):
        return dt.timedelta(minutes=15)

    @classmethod
    def default_pinned(cls):
        return False

    @fields.depends('round', '_parent_round.company')
    def on_change_with_company(self, name=None):
        return self.round.company if self.round else None

    @classmethod
    def search_company(cls, name, clause):
        return [('round.' + clause[0], *clause[1:])]

    def get_rec_name(self, name):
        return self.place.rec_name

    @property
    def stop_minutes(self):
        return (self.stop_time or dt.timedelta(0)).total_seconds() / 60

    def window(self, departure):
        "The (earliest, latest) arrival in minutes from departure, or None."
        if self.window_start is None and self.window_end is None:
            return None
        return (minutes(self.window_start, departure) or 0,
            minutes(self.window_end, departure))

    @classmethod
    def validate_fields(cls, stops, field_names):
        super().validate_fields(stops, field_names)
        if field_names & {'window_start', 'window_end'}:
            for stop in stops:
                if (stop.window_start is not None
                        and stop.window_end is not None
                        and stop.window_end < stop.window_start):
                    raise RoundError(gettext(
                            'cocagne_tournees.msg_stop_window',
                            stop=stop.rec_name,
                            round=stop.round.rec_name,
                            start=stop.window_start.strftime('%H:%M'),
                            end=stop.window_end.strftime('%H:%M')))

    @classmethod
    def get_planned(cls, stops, names):
        result = {n: {s.id: None for s in stops} for n in names}
        for round_ in {s.round for s in stops}:
            plan, distances = round_.plan() or (None, None)
            if not plan:
                continue
            for index, stop in enumerate(round_.stops, 1):
                if stop.id not in result[names[0]]:
                    continue
                if 'planned_arrival' in result:
                    result['planned_arrival'][stop.id] = clock(
                        round_.departure, plan.arrivals[index])
                if 'leg_distance' in result:
                    result['leg_distance'][stop.id] = round(
                        distances[index - 1][index], 1)
        return result

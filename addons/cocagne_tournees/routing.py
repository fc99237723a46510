"""Order of the stops of a round, free of any Tryton import.

A round leaves its start place, visits its stops and ends at its end place
(often the start place again). Places are indexed as in the matrices: 0 is
the start, 1 to n are the stops in their current order and n + 1 is the end.
Distances are in kilometres, durations and times in minutes; times (the
departure, the windows) are on one clock, e.g. minutes since midnight.

Three engines order the stops: VROOM (pyvroom), the routing solver of
OR-Tools and a local search of this module (nearest neighbour, 2-opt,
Or-opt, swaps and kicks) that always runs as a safeguard. The best tour of
all engines is kept; an engine that is not installed or fails is skipped.
The local search is seeded: the results only vary when the time limit cuts
a search short.
"""
import math
import random
import time
from collections import namedtuple

DETOUR = 1.3  # road distance / great-circle distance
SPEED = 40.0  # km/h, average speed on rural roads
TIME_LIMIT = 1.0  # seconds, the user waits
ENGINES = ('vroom', 'ortools', 'local')
SEED = 42
KICKS = 60  # perturbations of the local search at most
EPSILON = 1e-9
# the solvers work on integers: metres and seconds
DISTANCE_SCALE = 1000
TIME_SCALE = 60

Evaluation = namedtuple('Evaluation', [
        'distance', 'duration', 'arrivals', 'lateness', 'feasible'])
Evaluation.__doc__ = """Totals of a tour.

arrivals[i] is the time the round reaches place i (before any waiting for
its window to open), arrivals[0] is the departure; lateness sums the minutes
arrived after the window ends; the tour is feasible when lateness is 0."""
Result = namedtuple('Result', [
        'order', 'distance', 'duration', 'arrivals', 'feasible', 'engine',
        'original_distance', 'original_duration', 'original_feasible'])
Result.__doc__ = """Tour kept by optimise().

order is the new visiting order of the stops 1 to n, arrivals and feasible
are those of its Evaluation, engine the engine that found it ('vroom',
'ortools' or 'local'), original_* the totals of the current order."""


class MissingCoordinates(ValueError):
    "Some places have no coordinates; indices lists them."

    def __init__(self, indices):
        self.indices = list(indices)
        super().__init__(f'no coordinates for places {self.indices}')


def matrices(points, detour=DETOUR, speed=SPEED, road_matrix=None):
    """Return the (distances, durations) matrices between the points.

    points are (latitude, longitude) pairs; a distance is the great-circle
    distance times the detour factor and a duration takes it at the average
    speed in km/h. road_matrix(points) -> (distances, durations), when given,
    replaces this estimate (e.g. a request to a routing server).
    Raise MissingCoordinates when a point (or one of its coordinates) is
    None."""
    points = list(points)
    missing = [i for i, point in enumerate(points)
        if point is None or None in tuple(point)]
    if missing:
        raise MissingCoordinates(missing)
    if road_matrix is not None:
        distances, durations = road_matrix(points)
        return ([list(map(float, row)) for row in distances],
            [list(map(float, row)) for row in durations])
    from trytond.modules.cocagne_base.geo import haversine
    distances = [[haversine(*p, *q) * detour if i != j else 0.0
                for j, q in enumerate(points)]
        for i, p in enumerate(points)]
    durations = [[d / speed * 60 for d in row] for row in distances]
    return distances, durations


def _by_index(values, size, default=None):
    "Return values (a sequence or a mapping by index) as a list of size."
    if values is None:
        return [default] * size
    if hasattr(values, 'get'):
        return [values.get(i, default) for i in range(size)]
    values = list(values)
    return values + [default] * (size - len(values))


def evaluate(order, distances, durations, service=None, windows=None,
        departure=0):
    """Return the Evaluation of the tour visiting the stops in order.

    service[i] is the time spent at stop i, windows[i] the (earliest, latest)
    arrival at place i or None (both sequences indexed like the matrices or
    mappings by index). The round waits for a window to open; the waiting
    counts in the duration."""
    size = len(distances)
    service = [s or 0 for s in _by_index(service, size, 0)]
    windows = _by_index(windows, size)
    tour = [0, *order, size - 1]
    arrivals = [None] * size
    arrivals[0] = now = departure
    distance = lateness = 0
    for previous, place in zip(tour, tour[1:]):
        distance += distances[previous][place]
        now += (service[previous] if previous else 0) + (
            durations[previous][place])
        arrivals[place] = now
        if windows[place]:
            earliest, latest = windows[place]
            if latest is not None and now > latest:
                lateness += now - latest
            if earliest is not None and now < earliest:
                now = earliest
    lateness = lateness if lateness > EPSILON else 0
    return Evaluation(distance, now - departure, arrivals, lateness,
        not lateness)


def optimise(distances, durations, service=None, windows=None, pinned=None,
        objective='distance', departure=0, time_limit=TIME_LIMIT,
        engines=ENGINES):
    """Return the Result of ordering the stops 1 to n at the lowest cost.

    The cost is the total distance or duration (objective). Start and end
    stay; a pinned stop (pinned is a set of stop indices) keeps its position
    in the order. service, windows and departure are those of evaluate().
    A tour arriving late at a window is only kept when no engine finds a
    feasible one (feasible is then False). engines lists the solvers to try;
    the local search always runs and OR-Tools is skipped when VROOM and it
    find tours of the same cost. The whole takes about time_limit seconds
    at most."""
    assert objective in {'distance', 'duration'}, objective
    start = time.monotonic()
    size = len(distances)
    n = size - 2
    problem = _Problem(distances, durations, service, windows, pinned,
        objective, departure)
    original = evaluate(range(1, n + 1), distances, durations,
        problem.service, problem.windows, departure)
    candidates = []

    def add(engine, order):
        if order is not None and problem.valid(order):
            evaluation = evaluate(order, distances, durations,
                problem.service, problem.windows, departure)
            candidates.append((problem.key(evaluation), len(candidates),
                    engine, list(order), evaluation))

    if n > 2 and 'vroom' in engines and not problem.pinned:
        add('vroom', _try(_vroom, problem))
    add('local', _local_search(problem,
            time.monotonic() + time_limit * (0.3 if n > 2 else 1)))
    agree = len({key for key, *_ in candidates}) == 1 < len(candidates)
    if n > 2 and 'ortools' in engines and not agree:
        # started from the current order, guided local search often goes
        # further than from the tour of the local search
        remaining = time_limit - (time.monotonic() - start)
        seconds = max(min(remaining, 0.1 + n / 30), 0.1)
        add('ortools', _try(_ortools, problem, seconds,
                list(range(1, n + 1)), min(candidates)[3]))
    _, _, engine, order, evaluation = min(candidates)
    return Result(order, evaluation.distance, evaluation.duration,
        evaluation.arrivals, evaluation.feasible, engine,
        original.distance, original.duration, original.feasible)


def _try(function, *args):
    "Return the order found by function or None if it fails."
    try:
        return function(*args)
    except Exception:
        return None


class _Problem:
    "The data of optimise() in the forms the engines use."

    def __init__(self, distances, durations, service, windows, pinned,
            objective, departure):
        self.distances, self.durations = distances, durations
        self.size = size = len(distances)
        self.service = [s or 0 for s in _by_index(service, size, 0)]
        self.service[0] = self.service[-1] = 0
        self.windows = [w if w and w != (None, None) else None
            for w in _by_index(windows, size)]
        self.windows[0] = None
        self.timed = any(self.windows)
        self.pinned = set(pinned or ()) & set(range(1, size - 1))
        self.objective = objective
        self.departure = departure
        # cost of an arc, the objective when the round never waits
        self.costs = distances if objective == 'distance' else [
            [d + self.service[i] for d in row]
            for i, row in enumerate(durations)]

    def valid(self, order):
        "Return whether order is a permutation keeping the pinned stops."
        return (sorted(order) == list(range(1, self.size - 1))
            and all(order[k - 1] == k for k in self.pinned))

    def key(self, evaluation):
        "Return the sort key of an Evaluation, the lowest is the best."
        if self.objective == 'distance':
            cost = evaluation.distance, evaluation.duration
        else:
            cost = evaluation.duration, evaluation.distance
        return tuple(round(value, 6) for value in (evaluation.lateness, *cost))

    def windows_scaled(self):
        """Return the windows in seconds from the departure, rounded inward,
        None when one is empty."""
        result = []
        for window in self.windows:
            earliest, latest = window or (None, None)
            earliest = 0 if earliest is None else max(0, math.ceil(
                    (earliest - self.departure) * TIME_SCALE - 1e-6))
            latest = None if latest is None else math.floor(
                (latest - self.departure) * TIME_SCALE + 1e-6)
            if latest is not None and latest < earliest:
                return None
            result.append((earliest, latest))
        return result

    def transits_scaled(self):
        """Return the service and travel time from i to j in seconds, rounded
        up."""
        return [[math.ceil((d + self.service[i]) * TIME_SCALE - 1e-6)
                for d in row]
            for i, row in enumerate(self.durations)]


def _vroom(problem):
    "Return the order found by VROOM."
    import vroom
    windows = problem.windows_scaled()
    if windows is None:
        return None
    size = problem.size
    durations = [[math.ceil(d * TIME_SCALE - 1e-6) for d in row]
        for row in problem.durations]
    horizon = (sum(max(row) for row in durations)
        + sum(math.ceil(s * TIME_SCALE) for s in problem.service)
        + max((w[1] or 0 for w in windows), default=0)
        + max(w[0] for w in windows))
    input_ = vroom.Input()
    input_.set_durations_matrix('car', durations)
    if problem.objective == 'distance':
        input_.set_costs_matrix('car',
            [[round(d * DISTANCE_SCALE) for d in row]
                for row in problem.distances])
    end = windows[-1][1]
    input_.add_vehicle(vroom.Vehicle(0, start=0, end=size - 1,
            time_window=vroom.TimeWindow(0, horizon if end is None else end)))
    input_.add_job([vroom.Job(i, location=i,
                default_service=math.ceil(
                    problem.service[i] * TIME_SCALE - 1e-6),
                time_windows=[vroom.TimeWindow(earliest,
                        horizon if latest is None else latest)]
                if problem.windows[i] else ())
            for i, (earliest, latest) in enumerate(windows[1:-1], 1)])
    solution = input_.solve(exploration_level=5, nb_threads=1)
    routes = solution.routes
    return [int(i) for i in routes[routes['type'] == 'job']['id']]


def _ortools(problem, seconds, *initials):
    """Return the order found by the routing solver of OR-Tools with guided
    local search in seconds from the first feasible of the initial orders
    (or from its own first solution)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    windows = problem.windows_scaled()
    if windows is None:
        return None
    size = problem.size
    transits = problem.transits_scaled()
    scale = DISTANCE_SCALE if problem.objective == 'distance' else TIME_SCALE
    costs = [[round(c * scale) for c in row] for row in problem.costs]
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [size - 1])
    routing = pywrapcp.RoutingModel(manager)
    node = manager.IndexToNode

    cost = routing.RegisterTransitCallback(
        lambda i, j: costs[node(i)][node(j)])
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    if problem.timed or problem.objective == 'duration':
        horizon = (sum(max(row) for row in transits)
            + max(w[0] for w in windows)
            + max((w[1] or 0 for w in windows), default=0))
        transit = routing.RegisterTransitCallback(
            lambda i, j: transits[node(i)][node(j)])
        routing.AddDimension(transit, horizon, horizon, True, 'time')
        dimension = routing.GetDimensionOrDie('time')
        for place in range(1, size):
            earliest, latest = windows[place]
            index = (manager.NodeToIndex(place) if place < size - 1
                else routing.End(0))
            dimension.CumulVar(index).SetRange(
                earliest, horizon if latest is None else latest)
        if problem.objective == 'duration':
            dimension.SetSpanCostCoefficientForAllVehicles(1)
    if problem.pinned:
        # the rank of a place counts the places before it
        routing.AddConstantDimension(1, size, True, 'rank')
        rank = routing.GetDimensionOrDie('rank')
        for place in problem.pinned:
            rank.CumulVar(manager.NodeToIndex(place)).SetValue(place)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC)
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    parameters.time_limit.FromMilliseconds(max(int(seconds * 1000), 10))
    routing.CloseModelWithParameters(parameters)
    for initial in initials:
        assignment = routing.ReadAssignmentFromRoutes(
            [[manager.NodeToIndex(i) for i in initial]], True)
        if assignment is not None:
            break
    else:
        assignment = None
    if assignment is not None:
        solution = routing.SolveFromAssignmentWithParameters(
            assignment, parameters)
    else:
        solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return None
    order, index = [], solution.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(index):
        order.append(node(index))
        index = solution.Value(routing.NextVar(index))
    return order


def _local_search(problem, deadline):
    """Return the order found by the local search: the best of the current
    order, the nearest neighbour (and earliest deadline) tours improved by
    2-opt, Or-opt and swaps, then kicked (double bridge) and improved again
    until KICKS or the deadline. Pinned stops stay at their position."""
    search = _LocalSearch(problem, deadline)
    return search.run()


class _LocalSearch:

    def __init__(self, problem, deadline):
        self.problem = problem
        self.deadline = deadline
        self.costs = problem.costs
        size = self.size = problem.size
        # count of pinned places before each position
        self.before = [0]
        for position in range(size):
            self.before.append(
                self.before[-1] + (position in problem.pinned))
        self.free = [p for p in range(1, size - 1)
            if p not in problem.pinned]
        self.moves = [self.or_opt, self.two_opt, self.swap]
        if problem.pinned:
            self.moves.append(self.shift)
        self.starts = self.lateness = self.late = None
        # the first and last positions of the run of free positions of each
        # free position
        self.runs = {}
        for position in self.free:
            if position - 1 in self.runs:
                self.runs[position] = self.runs[position - 1]
            else:
                self.runs[position] = [position, position]
            self.runs[position][1] = position

    def pinned_in(self, first, last):
        "Return whether a pinned stop is at a position in [first, last]."
        return self.before[last + 1] > self.before[first]

    def key(self, tour):
        "Return (lateness, cost) of tour."
        if not self.problem.timed:
            costs = self.costs
            return (0, sum(costs[i][j] for i, j in zip(tour, tour[1:])))
        starts, lateness = self.schedule(tour)
        if self.problem.objective == 'distance':
            distances = self.problem.distances
            return (lateness[-1],
                sum(distances[i][j] for i, j in zip(tour, tour[1:])))
        return lateness[-1], starts[-1] - self.problem.departure

    def schedule(self, tour):
        """Return the times service starts at each position of tour and the
        lateness cumulated until each position."""
        problem = self.problem
        durations, service = problem.durations, problem.service
        windows = problem.windows
        now, late = problem.departure, 0
        starts, lateness = [now], [late]
        for previous, place in zip(tour, tour[1:]):
            now += service[previous] + durations[previous][place]
            if windows[place]:
                earliest, latest = windows[place]
                if latest is not None and now > latest + EPSILON:
                    late += now - latest
                if earliest is not None and now < earliest:
                    now = earliest
            starts.append(now)
            lateness.append(late)
        return starts, lateness

    def timed_key(self, key, delta, candidate, first, last):
        """Return the key of candidate, equal to the current tour (of key)
        but at the positions first to last, simulating it from first until
        its schedule joins the current one."""
        problem = self.problem
        durations, service = problem.durations, problem.service
        windows = problem.windows
        starts, lateness = self.starts, self.lateness
        total = lateness[-1]
        by_distance = problem.objective == 'distance'
        now, late = starts[first - 1], lateness[first - 1]
        end = None
        for position in range(first, len(candidate)):
            previous, place = candidate[position - 1], candidate[position]
            now += service[previous] + durations[previous][place]
            window = windows[place]
            if window:
                earliest, latest = window
                if latest is not None and now > latest + EPSILON:
                    late += now - latest
                    if by_distance and late > total + EPSILON:
                        return late, math.inf
                if earliest is not None and now < earliest:
                    now = earliest
            if position > last:
                if abs(now - starts[position]) <= EPSILON:
                    # the same schedule from here on
                    late += total - lateness[position]
                    end = starts[-1]
                    break
                if (by_distance and now < starts[position]
                        and total == lateness[position]):
                    # earlier than the current tour that is on time after
                    break
        else:
            end = now
        if by_distance:
            return late, key[1] + delta
        return late, end - problem.departure

    def run(self):
        size = self.size
        if size <= 3:
            return list(range(1, size - 1))
        starts = [list(range(size)), self.nearest()]
        if self.problem.timed:
            starts.append(self.earliest_deadline())
        best = None
        for tour in starts:
            tour = self.improve(tour)
            key = self.key(tour)
            if best is None or key < best[0]:
                best = key, tour
        rng = random.Random(SEED)
        for _ in range(KICKS if len(self.free) >= 8 else 0):
            if time.monotonic() > self.deadline:
                break
            tour = self.kick(best[1], rng)
            if best[0][0] == 0 and self.key(tour)[0] > 0:
                tour = self.repair(tour)
                if self.key(tour)[0] > 0:
                    continue
            tour = self.improve(tour)
            key = self.key(tour)
            if key < best[0]:
                best = key, tour
        return best[1][1:-1]

    def nearest(self):
        "Return the nearest neighbour tour keeping the pinned stops."
        costs, left = self.costs, set(self.free)
        tour = [0]
        for position in range(1, self.size - 1):
            if position in self.problem.pinned:
                place = position
            else:
                place = min(left, key=lambda j: (costs[tour[-1]][j], j))
                left.remove(place)
            tour.append(place)
        return tour + [self.size - 1]

    def earliest_deadline(self):
        "Return the tour by window end keeping the pinned stops."
        windows = self.problem.windows
        ordered = iter(sorted(self.free, key=lambda j: (
                    windows[j][1] if windows[j] and windows[j][1] is not None
                    else math.inf, j)))
        return [0] + [p if p in self.problem.pinned else next(ordered)
            for p in range(1, self.size - 1)] + [self.size - 1]

    def kick(self, tour, rng):
        "Return tour with a double bridge on its free stops."
        free = self.free
        stops = [tour[p] for p in free]
        a, b, c = sorted(rng.sample(range(1, len(stops)), 3))
        stops = stops[:a] + stops[b:c] + stops[a:b] + stops[c:]
        tour = list(tour)
        for position, stop in zip(free, stops):
            tour[position] = stop
        return tour

    def repair(self, tour):
        """Return tour made less late by moving its first late stop earlier
        or a stop before it later, the best move first, until no such move
        lowers the lateness."""
        key = self.key(tour)
        free = self.free
        while key[0] > 0 and time.monotonic() <= self.deadline:
            _, lateness = self.schedule(tour)
            late = next(k for k in range(1, self.size)
                if lateness[k] > lateness[k - 1])
            stops = [tour[p] for p in free]
            moves = []
            for i, position in enumerate(free):
                if position == late:
                    moves.extend((i, j) for j in range(i))
                elif position < late:
                    moves.extend((i, j) for j in range(i + 1, len(free))
                        if free[j] > late)
            best = None
            for i, j in moves:
                moved = stops[:i] + stops[i + 1:]
                moved.insert(j, stops[i])
                candidate = list(tour)
                for position, stop in zip(free, moved):
                    candidate[position] = stop
                new = self.key(candidate)
                if new[0] < key[0] - EPSILON and (
                        best is None or new < best[0]):
                    best = new, candidate
            if best is None:
                break
            key, tour = best
        return tour

    def improve(self, tour):
        "Return tour improved until no move of the neighbourhoods improves."
        key = self.key(tour)
        while time.monotonic() <= self.deadline:
            if self.problem.timed:
                self.starts, self.lateness = self.schedule(tour)
                # the last late position
                self.late = max((k for k in range(1, self.size)
                            if self.lateness[k] > self.lateness[k - 1]),
                    default=0)
            for move in self.moves:
                found = move(tour, key)
                if found:
                    tour, key = found
                    break
            else:
                break
        return tour

    def prefixes(self, tour):
        "Return the costs along tour and backward, cumulated."
        costs = self.costs
        forward, backward = [0], [0]
        for i, j in zip(tour, tour[1:]):
            forward.append(forward[-1] + costs[i][j])
            backward.append(backward[-1] + costs[j][i])
        return forward, backward

    def worth(self, key, delta, first):
        """Return whether a move changing the arc costs by delta and the
        positions from first may improve the tour of key."""
        return delta < -EPSILON or self.problem.timed and (
            self.problem.objective == 'duration'
            or key[0] > 0 and first <= self.late)

    def accept(self, key, delta, candidate, first, last):
        """Return (candidate, its key) when it is better than the tour of
        key, that it changes at the positions first to last, or None."""
        if not self.problem.timed:
            return candidate, (0, key[1] + delta)
        new = self.timed_key(key, delta, candidate, first, last)
        if new[0] < key[0] - EPSILON or (
                new[0] <= key[0] + EPSILON and new[1] < key[1] - EPSILON):
            return candidate, new
        return None

    def or_opt(self, tour, key):
        "Move a segment of 1 to 3 stops elsewhere, maybe reversed."
        c, n = self.costs, self.size - 2
        forward, backward = self.prefixes(tour)
        for length in (1, 2, 3):
            for i in range(1, n - length + 2):
                last = i + length - 1
                if self.pinned_in(i, last):
                    continue
                low, high = self.runs[i]
                p, head, tail, q = (
                    tour[i - 1], tour[i], tour[last], tour[last + 1])
                removed = c[p][head] + c[tail][q] - c[p][q]
                inside = forward[last] - forward[i]
                reverse = backward[last] - backward[i]
                # no pinned stop shifts
                for j in range(low - 1, high + 1):
                    if i - 1 <= j <= last:
                        continue
                    first, end = (j + 1, last) if j < i else (i, j)
                    a, b = tour[j], tour[j + 1]
                    base = -removed - c[a][b] - inside
                    for flip in (False, True) if length > 1 else (False,):
                        if flip:
                            delta = base + c[a][tail] + reverse + c[head][b]
                        else:
                            delta = base + c[a][head] + inside + c[tail][b]
                        if not self.worth(key, delta, first):
                            continue
                        segment = tour[i:last + 1]
                        if flip:
                            segment.reverse()
                        rest = tour[:i] + tour[last + 1:]
                        at = j + 1 if j < i else j + 1 - length
                        candidate = rest[:at] + segment + rest[at:]
                        found = self.accept(key, delta, candidate, first, end)
                        if found:
                            return found
        return None

    def two_opt(self, tour, key):
        "Reverse a segment without pinned stops (but in its middle)."
        c, n = self.costs, self.size - 2
        forward, backward = self.prefixes(tour)
        for i in range(1, n):
            for j in range(i + 1, n + 1):
                count = self.before[j + 1] - self.before[i]
                if count > 1:
                    break
                if count and not ((i + j) % 2 == 0
                        and (i + j) // 2 in self.problem.pinned):
                    continue
                a, b = tour[i - 1], tour[j + 1]
                delta = (c[a][tour[j]] + c[tour[i]][b]
                    + backward[j] - backward[i]
                    - c[a][tour[i]] - c[tour[j]][b]
                    - forward[j] + forward[i])
                if not self.worth(key, delta, i):
                    continue
                candidate = tour[:i] + tour[i:j + 1][::-1] + tour[j + 1:]
                found = self.accept(key, delta, candidate, i, j)
                if found:
                    return found
        return None

    def swap(self, tour, key):
        "Exchange two free stops."
        c, free = self.costs, self.free
        for k, i in enumerate(free):
            for j in free[k + 1:]:
                x, y = tour[i], tour[j]
                pi, ni, pj, nj = tour[i - 1], tour[i + 1], tour[j - 1], (
                    tour[j + 1])
                if j == i + 1:
                    delta = (c[pi][y] + c[y][x] + c[x][nj]
                        - c[pi][x] - c[x][y] - c[y][nj])
                else:
                    delta = (c[pi][y] + c[y][ni] + c[pj][x] + c[x][nj]
                        - c[pi][x] - c[x][ni] - c[pj][y] - c[y][nj])
                if not self.worth(key, delta, i):
                    continue
                candidate = list(tour)
                candidate[i], candidate[j] = y, x
                found = self.accept(key, delta, candidate, i, j)
                if found:
                    return found
        return None

    def shift(self, tour, key):
        """Move 1 to 3 free stops across pinned stops, the free stops between
        shifting by as many free positions."""
        c, free = self.costs, self.free
        stops = [tour[p] for p in free]
        for length in (1, 2, 3):
            for i in range(len(free) - length + 1):
                segment = stops[i:i + length]
                rest = stops[:i] + stops[i + length:]
                for j in range(len(rest) + 1):
                    if j < i:
                        first, last = j, i + length - 1
                    else:
                        first, last = i, j + length - 1
                    lo, hi = free[first], free[last]
                    if j == i or not self.pinned_in(lo, hi):
                        continue
                    moved = (rest[:j] + segment + rest[j:])[first:last + 1]
                    candidate = list(tour)
                    for position, stop in zip(free[first:last + 1], moved):
                        candidate[position] = stop
                    delta = sum(c[candidate[k]][candidate[k + 1]]
                            - c[tour[k]][tour[k + 1]]
                        for k in range(lo - 1, hi + 1))
                    if not self.worth(key, delta, lo):
                        continue
                    found = self.accept(key, delta, candidate, lo, hi)
                    if found:
                        return found
        return None

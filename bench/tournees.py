"""Rounds: quality and time of the stop-order optimiser.

Seeded instances look like a market garden near Besançon delivering the
villages around it: 4 to 6 villages within 30 km, the stops scattered within
2 km of their centre, the round leaving from the garden and coming back to
it. Measured:

1. tour quality: 10 instances of 15 stops and 10 of 30 stops, the length of
   our tour against the proven optimum (CP-SAT, AddCircuit over distances in
   metres). Goals: mean gap ≤ 0.5 %, worst gap ≤ 2 %;
2. the safeguard alone (the local search of routing.py, no solver) on the
   same instances. Goal: mean gap ≤ 3 %;
3. 60 stops with 5 pinned stops and 10 time windows (taken around the
   arrivals of the current order, which is feasible): every constraint
   honoured and our tour ≤ 1.01 × the one the routing solver of OR-Tools
   finds from the current order in 10 s of guided local search.

The time of every optimisation is printed (the user waits for it).
"""
import math
import random
import statistics
import sys
import time

from trytond.modules.cocagne_tournees import routing

SEED = 20240
GARDEN = (47.24, 6.02)
SIZES = [15] * 10 + [30] * 10
MEAN_GAP, WORST_GAP, SAFEGUARD_GAP, CONSTRAINED_RATIO = 0.5, 2.0, 3.0, 1.01
REFERENCE_SECONDS = 10


def _offset(rng, center, radius):
    "Return a point at most radius km from center, uniformly in the disc."
    distance = radius * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    lat = center[0] + distance * math.cos(angle) / 111.2
    lon = center[1] + distance * math.sin(angle) / (
        111.2 * math.cos(math.radians(center[0])))
    return lat, lon


def instance(rng, stops):
    "Return the points of a round: garden, stops in random order, garden."
    villages = [_offset(rng, GARDEN, 30) for _ in range(rng.randint(4, 6))]
    points = [_offset(rng, rng.choice(villages), rng.uniform(1, 2))
        for _ in range(stops)]
    return [GARDEN, *points, GARDEN]


def optimum(distances):
    """Return the order of the shortest tour proven by CP-SAT and its time;
    start and end are the places 0 and n + 1."""
    from ortools.sat.python import cp_model
    size = len(distances)
    end = size - 1
    model = cp_model.CpModel()
    arcs, terms = [], []
    for i in range(size):
        for j in range(size):
            if i == j or j == 0 and i != end or i == end and j != 0:
                continue
            literal = model.NewBoolVar(f'{i}-{j}')
            arcs.append((i, j, literal))
            if (i, j) == (end, 0):
                model.Add(literal == 1)
            else:
                terms.append(round(distances[i][j] * 1000) * literal)
    model.AddCircuit(arcs)
    model.Minimize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 120
    start = time.perf_counter()
    status = solver.Solve(model)
    elapsed = time.perf_counter() - start
    assert status == cp_model.OPTIMAL, solver.StatusName(status)
    following = {i: j for i, j, literal in arcs if solver.Value(literal)}
    order, place = [], following[0]
    while place != end:
        order.append(place)
        place = following[place]
    return order, elapsed


def _instances():
    rng = random.Random(SEED)
    for stops in SIZES:
        distances, durations = routing.matrices(instance(rng, stops))
        order, _ = optimum(distances)
        yield stops, distances, durations, routing.evaluate(
            order, distances, durations).distance


_cache = []


def instances():
    "Return the instances of parts 1 and 2 with their optimum length."
    if not _cache:
        _cache.extend(_instances())
    return _cache


def gap(length, best):
    "Return how much longer length is than best, in %."
    gap = (length / best - 1) * 100
    return 0.0 if abs(gap) < 1e-9 else gap


def tour_quality():
    print('1. tour quality against the optimum (CP-SAT)')
    print('   stops  optimum km  ours km   gap %  engine   time s')
    gaps, times = [], []
    for stops, distances, durations, best in instances():
        start = time.perf_counter()
        result = routing.optimise(distances, durations)
        times.append(time.perf_counter() - start)
        gaps.append(gap(result.distance, best))
        print(f'   {stops:5}  {best:10.3f}  {result.distance:7.3f}  '
            f'{gaps[-1]:6.3f}  {result.engine:7}  {times[-1]:6.2f}')
    mean, worst = statistics.mean(gaps), max(gaps)
    print(f'   mean gap {mean:.3f} %, worst {worst:.3f} %, '
        f'time mean {statistics.mean(times):.2f} s, max {max(times):.2f} s')
    ok = mean <= MEAN_GAP and worst <= WORST_GAP
    return ok, (f'mean gap {mean:.2f} %, worst {worst:.2f} %',
        f'≤ {MEAN_GAP} %, ≤ {WORST_GAP} %')


def safeguard():
    print('2. local search alone against the optimum')
    print('   stops  optimum km  ours km   gap %   time s')
    gaps = []
    for stops, distances, durations, best in instances():
        start = time.perf_counter()
        result = routing.optimise(distances, durations, engines=('local',))
        elapsed = time.perf_counter() - start
        gaps.append(gap(result.distance, best))
        print(f'   {stops:5}  {best:10.3f}  {result.distance:7.3f}  '
            f'{gaps[-1]:6.3f}  {elapsed:6.2f}')
    mean = statistics.mean(gaps)
    print(f'   mean gap {mean:.3f} %, worst {max(gaps):.3f} %')
    return mean <= SAFEGUARD_GAP, (f'safeguard {mean:.2f} %',
        f'≤ {SAFEGUARD_GAP} %')


def constrained_instance(rng, stops=60, pins=5, windowed=10):
    """Return (distances, durations, service, windows, pinned) of a round
    whose current order (by angle around the garden, as a driver would) is
    feasible: the windows are taken around its arrivals."""
    points = instance(rng, stops)
    garden = points[0]
    points[1:-1] = sorted(points[1:-1], key=lambda p: math.atan2(
            p[0] - garden[0], p[1] - garden[1]))
    distances, durations = routing.matrices(points)
    service = [0] + [rng.choice([2, 3, 5, 8, 10]) for _ in range(stops)] + [0]
    current = routing.evaluate(range(1, stops + 1), distances, durations,
        service)
    windows = [None] * (stops + 2)
    for stop in rng.sample(range(1, stops + 1), windowed):
        arrival = current.arrivals[stop]
        # a quarter of an hour at least 20 min before and after
        earliest = 15 * math.floor((arrival - rng.uniform(20, 60)) / 15)
        latest = 15 * math.ceil((arrival + rng.uniform(20, 60)) / 15)
        windows[stop] = (earliest, latest)
    pinned = set(rng.sample(range(1, stops + 1), pins))
    return distances, durations, service, windows, pinned


def reference(distances, durations, service, windows, pinned, seconds):
    """Return the order found by the routing solver of OR-Tools from the
    current order in seconds of guided local search."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    size = len(distances)
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [size - 1])
    model = pywrapcp.RoutingModel(manager)
    node = manager.IndexToNode
    metres = [[round(d * 1000) for d in row] for row in distances]
    seconds_ = [[math.ceil((d + service[i]) * 60) for d in row]
        for i, row in enumerate(durations)]
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitCallback(
            lambda i, j: metres[node(i)][node(j)]))
    horizon = 24 * 3600
    model.AddDimension(model.RegisterTransitCallback(
            lambda i, j: seconds_[node(i)][node(j)]),
        horizon, horizon, True, 'time')
    time_ = model.GetDimensionOrDie('time')
    for stop, window in enumerate(windows):
        if window:
            time_.CumulVar(manager.NodeToIndex(stop)).SetRange(
                window[0] * 60, window[1] * 60)
    model.AddConstantDimension(1, size, True, 'rank')
    rank = model.GetDimensionOrDie('rank')
    for stop in pinned:
        rank.CumulVar(manager.NodeToIndex(stop)).SetValue(stop)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    parameters.time_limit.FromSeconds(seconds)
    model.CloseModelWithParameters(parameters)
    initial = model.ReadAssignmentFromRoutes(
        [[manager.NodeToIndex(i) for i in range(1, size - 1)]], True)
    solution = model.SolveFromAssignmentWithParameters(initial, parameters)
    order, index = [], solution.Value(model.NextVar(model.Start(0)))
    while not model.IsEnd(index):
        order.append(node(index))
        index = solution.Value(model.NextVar(index))
    return order


def constrained():
    print('3. 60 stops, 5 pinned, 10 time windows')
    rng = random.Random(SEED + 1)
    distances, durations, service, windows, pinned = constrained_instance(rng)
    start = time.perf_counter()
    result = routing.optimise(distances, durations, service, windows, pinned)
    ours_time = time.perf_counter() - start
    check = routing.evaluate(result.order, distances, durations, service,
        windows)
    honoured = (check.feasible and result.feasible
        and sorted(result.order) == list(range(1, len(distances) - 1))
        and all(result.order[k - 1] == k for k in pinned)
        and all(check.arrivals[i] <= w[1] + 1e-9
            for i, w in enumerate(windows) if w))
    start = time.perf_counter()
    order = reference(distances, durations, service, windows, pinned,
        REFERENCE_SECONDS)
    reference_time = time.perf_counter() - start
    other = routing.evaluate(order, distances, durations, service, windows)
    assert other.feasible and all(order[k - 1] == k for k in pinned)
    ratio = result.distance / other.distance
    print(f'   current order {result.original_distance:.3f} km, '
        f'ours {result.distance:.3f} km in {ours_time:.2f} s '
        f'({result.engine}), OR-Tools {other.distance:.3f} km '
        f'in {reference_time:.1f} s: {ratio:.4f}×')
    print(f'   constraints honoured: {honoured}')
    return honoured and ratio <= CONSTRAINED_RATIO, (
        f'60 stops {ratio:.3f}×' + ('' if honoured else ' (broken)'),
        f'≤ {CONSTRAINED_RATIO}×')


PARTS = [tour_quality, safeguard, constrained]


def main():
    results = [part() for part in PARTS]
    ok = all(ok for ok, _ in results)
    figures = ', '.join(summary for _, (summary, _) in results)
    goals = ', '.join(goal for _, (_, goal) in results)
    print(f'RESULT tournees: {figures} (goals {goals}) '
        f'{"ok" if ok else "MISSED"}')
    return ok


if __name__ == '__main__':
    sys.exit(0 if main() else 1)

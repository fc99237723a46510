"Unit tests of the order of the stops, without database"
import itertools
import math
import random
import unittest

from trytond.modules.cocagne_base.geo import haversine
from trytond.modules.cocagne_tournees import routing

GARDEN = (47.24, 6.02)


def line(count, shuffle=7):
    """Return points from west to east on a parallel: the start, count stops
    in a shuffled order, the end; and the stop indices from west to east."""
    stops = [(47.24, 6.02 + 0.01 * (k + 1)) for k in range(count)]
    order = list(range(count))
    random.Random(shuffle).shuffle(order)
    points = [(47.24, 6.0)] + [stops[k] for k in order] + [(47.24, 6.2)]
    return points, sorted(range(1, count + 1), key=lambda i: points[i][1])


def brute_force(distances, durations, service=None, windows=None,
        pinned=()):
    "Return the shortest feasible order keeping the pinned stops."
    n = len(distances) - 2
    best = None
    for order in itertools.permutations(range(1, n + 1)):
        if any(order[k - 1] != k for k in pinned):
            continue
        tour = routing.evaluate(order, distances, durations, service, windows)
        if tour.feasible and (best is None or tour.distance < best[0]):
            best = tour.distance, list(order)
    return best


class RoutingTestCase(unittest.TestCase):

    def test_matrices(self):
        points = [GARDEN, (47.30, 6.10), (47.20, 5.90)]
        distances, durations = routing.matrices(points)
        self.assertEqual(len(distances), 3)
        self.assertEqual(distances[0][0], 0)
        self.assertAlmostEqual(distances[0][1],
            haversine(*GARDEN, 47.30, 6.10) * routing.DETOUR)
        self.assertAlmostEqual(distances[1][2], distances[2][1])
        self.assertAlmostEqual(durations[0][1],
            distances[0][1] / routing.SPEED * 60)

    def test_detour_speed(self):
        points = [GARDEN, (47.30, 6.10), (47.20, 5.90)]
        plain, _ = routing.matrices(points, detour=1)
        distances, durations = routing.matrices(points, detour=1.5, speed=60)
        for i, j in itertools.product(range(3), repeat=2):
            self.assertAlmostEqual(distances[i][j], plain[i][j] * 1.5)
            # 60 km/h: one minute a kilometre
            self.assertAlmostEqual(durations[i][j], distances[i][j])

    def test_missing_coordinates(self):
        with self.assertRaises(routing.MissingCoordinates) as context:
            routing.matrices([GARDEN, None, (47.3, None), (47.2, 6.1)])
        self.assertEqual(context.exception.indices, [1, 2])
        self.assertIsInstance(context.exception, ValueError)

    def test_road_matrix(self):
        "The road matrix replaces the estimate, even when asymmetric"
        calls = []

        def road_matrix(points):
            calls.append(points)
            distances = [[0, 1, 9, 5], [9, 0, 1, 9], [9, 9, 0, 1],
                [5, 9, 9, 0]]
            return distances, [[2 * d for d in row] for row in distances]

        points = [GARDEN, (47.3, 6.1), (47.2, 6.1), GARDEN]
        distances, durations = routing.matrices(points,
            road_matrix=road_matrix)
        self.assertEqual(calls, [points])
        self.assertEqual(distances[0][2], 9)
        self.assertEqual(durations[2][3], 2)
        result = routing.optimise(distances, durations, time_limit=0.3)
        self.assertEqual(result.order, [1, 2])
        self.assertEqual(result.distance, 3)
        self.assertEqual(result.duration, 6)
        with self.assertRaises(routing.MissingCoordinates):
            routing.matrices([GARDEN, None], road_matrix=road_matrix)

    def test_line(self):
        "Stops on a line from the start to the end are visited in order"
        points, expected = line(8)
        distances, durations = routing.matrices(points)
        for engines in [routing.ENGINES, ('local',)]:
            result = routing.optimise(distances, durations, engines=engines,
                time_limit=0.5)
            self.assertEqual(result.order, expected)
            self.assertIn(result.engine, {'vroom', 'ortools', 'local'})
            self.assertTrue(result.feasible)
            self.assertAlmostEqual(result.distance,
                haversine(*points[0], *points[-1]) * routing.DETOUR,
                delta=1e-3)
            self.assertAlmostEqual(result.original_distance, routing.evaluate(
                    range(1, 9), distances, durations).distance)
            self.assertGreater(result.original_distance, result.distance)

    def test_engines(self):
        "Each solver finds the order on the line by itself"
        points, expected = line(8)
        distances, durations = routing.matrices(points)
        problem = routing._Problem(distances, durations, None, None, None,
            'distance', 0)
        self.assertEqual(routing._vroom(problem), expected)
        self.assertEqual(
            routing._ortools(problem, 0.2, list(range(1, 9))), expected)

    def test_circle(self):
        "Stops around a circle are visited around it"
        count = 12
        angles = list(range(1, count))
        random.Random(3).shuffle(angles)
        points = [(GARDEN[0] + 0.1 * math.cos(2 * math.pi * a / count),
                GARDEN[1] + 0.15 * math.sin(2 * math.pi * a / count))
            for a in angles]
        start = (GARDEN[0] + 0.1, GARDEN[1])  # angle 0
        points = [start] + points + [start]
        distances, durations = routing.matrices(points)
        result = routing.optimise(distances, durations, time_limit=0.5)
        visited = [angles[i - 1] for i in result.order]
        self.assertIn(visited, [sorted(angles), sorted(angles)[::-1]])

    def test_start_end(self):
        "Start and end stay, even when far apart"
        points, expected = line(5)
        points[0], points[-1] = points[-1], points[0]
        distances, durations = routing.matrices(points)
        result = routing.optimise(distances, durations, time_limit=0.3)
        self.assertEqual(result.order, expected[::-1])
        self.assertEqual(sorted(result.order), [1, 2, 3, 4, 5])

    def test_pinned(self):
        "A pinned stop keeps its position; the others are the best around"
        points, expected = line(6)
        distances, durations = routing.matrices(points)
        for pinned in [{1}, {3, 6}, {2, 4, 5}]:
            for engines in [routing.ENGINES, ('local',)]:
                result = routing.optimise(distances, durations,
                    pinned=pinned, engines=engines, time_limit=0.3)
                for k in pinned:
                    self.assertEqual(result.order[k - 1], k)
                best, _ = brute_force(distances, durations, pinned=pinned)
                self.assertAlmostEqual(result.distance, best)
                self.assertEqual(sorted(result.order), [1, 2, 3, 4, 5, 6])

    def test_window_first(self):
        "A stop whose window closes early is visited first"
        points, expected = line(6)
        distances, durations = routing.matrices(points)
        last = expected[-1]
        # 0.01° of longitude = 0.76 km, 1.3 min at 40 km/h with the detour
        windows = {last: (0, durations[0][last] + 1)}
        service = [0] + [5] * 6 + [0]
        best, _ = brute_force(distances, durations, service, windows)
        for engines in [routing.ENGINES, ('local',)]:
            result = routing.optimise(distances, durations, service, windows,
                engines=engines, time_limit=0.3)
            self.assertEqual(result.order[0], last)
            self.assertAlmostEqual(result.distance, best)
            self.assertTrue(result.feasible)
            self.assertLessEqual(result.arrivals[last], windows[last][1])

    def test_window_wait(self):
        "The round waits for a window to open; pinned stops stay when late"
        points, expected = line(4)
        distances, durations = routing.matrices(points)
        first = expected[0]
        windows = [None] * 6
        windows[first] = (30, 40)
        tour = routing.evaluate(expected, distances, durations, None, windows,
            departure=10)
        self.assertTrue(tour.feasible)
        self.assertEqual(tour.arrivals[0], 10)
        self.assertAlmostEqual(tour.arrivals[first],
            10 + durations[0][first])
        self.assertAlmostEqual(tour.arrivals[expected[1]],
            30 + durations[first][expected[1]])
        # waits from its arrival until 30
        self.assertAlmostEqual(tour.duration, 20 + sum(durations[i][j]
                for i, j in zip(expected, expected[1:] + [5])))
        late = routing.evaluate(expected, distances, durations, None,
            {first: (0, 2)}, departure=0)
        self.assertFalse(late.feasible)
        self.assertAlmostEqual(late.lateness, durations[0][first] - 2)

    def test_infeasible(self):
        "No feasible order: the best is kept, flagged, pinned stops stay"
        points, expected = line(5)
        distances, durations = routing.matrices(points)
        windows = {expected[-1]: (0, 1), expected[-2]: (0, 1)}
        result = routing.optimise(distances, durations, windows=windows,
            pinned={2}, time_limit=0.3)
        self.assertFalse(result.feasible)
        self.assertFalse(result.original_feasible)
        self.assertEqual(result.order[1], 2)
        self.assertEqual(sorted(result.order), [1, 2, 3, 4, 5])

    def test_objective(self):
        "Duration counts the waiting, not the distance; service changes none"
        distances = [
            [0, 10, 15, 0],
            [10, 0, 10, 15],
            [15, 10, 0, 10],
            [0, 15, 10, 0]]
        durations = [[1.5 * d for d in row] for row in distances]
        for service in [None, [0, 5, 5, 0]]:
            for objective in ['distance', 'duration']:
                result = routing.optimise(distances, durations, service,
                    objective=objective, time_limit=0.3)
                self.assertEqual(result.order, [1, 2])
            # the first stop opens late: waiting there is longer than the
            # detour that visits it last
            windows = {1: (60, None)}
            by_distance = routing.optimise(distances, durations, service,
                windows, objective='distance', time_limit=0.3)
            by_duration = routing.optimise(distances, durations, service,
                windows, objective='duration', time_limit=0.3)
            self.assertEqual(by_distance.order, [1, 2])
            self.assertEqual(by_distance.distance, 30)
            self.assertEqual(by_duration.order, [2, 1])
            self.assertEqual(by_duration.distance, 40)
            self.assertLess(by_duration.duration, by_distance.duration)

    def test_local_search_brute_force(self):
        "The local search alone is within 2 % of the optimum on 7 stops"
        rng = random.Random(11)
        for _ in range(5):
            points = [GARDEN] + [
                (GARDEN[0] + rng.uniform(-0.2, 0.2),
                    GARDEN[1] + rng.uniform(-0.3, 0.3))
                for _ in range(7)] + [GARDEN]
            distances, durations = routing.matrices(points)
            service = [0] + [rng.choice([2, 5, 10]) for _ in range(7)] + [0]
            reference = routing.evaluate(range(1, 8), distances, durations,
                service)
            windows = {i: (0, reference.arrivals[i] + 30)
                for i in rng.sample(range(1, 8), 2)}
            best, _ = brute_force(distances, durations, service, windows)
            result = routing.optimise(distances, durations, service, windows,
                engines=('local',))
            self.assertTrue(result.feasible)
            self.assertEqual(result.engine, 'local')
            self.assertLessEqual(result.distance, best * 1.02)
            check = routing.evaluate(result.order, distances, durations,
                service, windows)
            self.assertAlmostEqual(check.distance, result.distance)
            self.assertTrue(check.feasible)

"""The map of a round as an HTML page: the numbered stops, the path as an
inline SVG plot and, over it, Leaflet on OpenStreetMap tiles when they load.

Pure functions, without Tryton: routes.py gives them plain values. The page
is written in French and is not translated through locale/*.po."""
import json
import math
from collections import namedtuple
from html import escape
from pathlib import Path
from string import Template

WIDTH, HEIGHT, MARGIN = 800, 560, 36
KM_PER_DEGREE = 111.2
TEMPLATE = Path(__file__).parent / 'map.html'
TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">'
    'les contributeurs d’OpenStreetMap</a>')

# place: its name, coordinates: (latitude, longitude) or None,
# arrival: a time or None
Point = namedtuple('Point', [
        'place', 'coordinates', 'arrival', 'window_start', 'window_end',
        'pinned', 'party'], defaults=[None, None, None, False, None])


def _frame(points, width, height, margin):
    """The cosine of the mean latitude, the centre and the scale (pixels by
    degree of latitude) that fit the known points in the box."""
    cos = math.cos(math.radians(sum(p[0] for p in points) / len(points)))
    xs = [p[1] * cos for p in points]
    ys = [p[0] for p in points]
    spans = [(width - 2 * margin, max(xs) - min(xs)),
        (height - 2 * margin, max(ys) - min(ys))]
    scale = min((s / d for s, d in spans if d), default=1)
    return cos, (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, scale


def project(points, width=WIDTH, height=HEIGHT, margin=MARGIN):
    """The (x, y) in an SVG box of width × height of the (latitude,
    longitude) points, None for a missing one.

    Equirectangular: the longitudes are scaled by the cosine of the mean
    latitude, both axes have the same scale, north is up and the points are
    centred in the box."""
    known = [p for p in points if p is not None]
    if not known:
        return [None] * len(points)
    cos, centre_x, centre_y, scale = _frame(known, width, height, margin)

    def xy(point):
        if point is None:
            return None
        return (round(width / 2 + (point[1] * cos - centre_x) * scale, 1),
            round(height / 2 - (point[0] - centre_y) * scale, 1))
    return [xy(p) for p in points]


def scale_bar(points, width=WIDTH, height=HEIGHT, margin=MARGIN):
    """The (km, pixels) of a round length of the plot of at least an eighth
    of its width, None when there are less than two distinct points."""
    known = [p for p in points if p is not None]
    if len(set(known)) < 2:
        return None
    pixels_per_km = _frame(known, width, height, margin)[3] / KM_PER_DEGREE
    for km in [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]:
        if km * pixels_per_km >= width / 8:
            return km, round(km * pixels_per_km, 1)
    return None


def hhmm(time):
    return time.strftime('%H:%M') if time else ''


def window_text(start, end):
    "The time window in French."
    if start and end:
        return f"{hhmm(start)} – {hhmm(end)}"
    elif start:
        return f"à partir de {hhmm(start)}"
    elif end:
        return f"jusqu’à {hhmm(end)}"
    return ''


def distance_text(km):
    if km is None:
        return '–'
    return f"{km:.1f} km".replace('.', ',')


def duration_text(duration):
    if duration is None:
        return '–'
    minutes = round(duration.total_seconds() / 60)
    return f"{minutes // 60} h {minutes % 60:02d}"


def markers(start, stops, end):
    """The markers of the map in the order of the path: (label, kind, point)
    with label 'D' for the start, 'A' for the end ('D' alone when the round
    ends where it starts) and the stops numbered from 1."""
    result = [('D', 'start', start)]
    for number, stop in enumerate(stops, 1):
        result.append(
            (str(number), 'pinned' if stop.pinned else 'stop', stop))
    if end.coordinates != start.coordinates or end.place != start.place:
        result.append(('A', 'end', end))
    return result


def title(label, kind, point):
    "The text of a marker's tooltip."
    prefix = {'start': "Départ", 'end': "Retour"}.get(kind, label)
    text = f"{prefix} : {point.place}"
    if point.arrival:
        text += f" ({hhmm(point.arrival)})"
    return text


def plot(start, stops, end, width=WIDTH, height=HEIGHT):
    "The SVG plot of the path, numbered stops, start and end."
    items = markers(start, stops, end)
    path = [start, *stops, end]
    xys = project([p.coordinates for p in path], width, height)
    lines = [
        f'<svg id="plot" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Tracé de la tournée">',
        f'<rect class="frame" x="0" y="0" width="{width}" '
        f'height="{height}"/>',
        ]
    line = ' '.join(f'{x},{y}' for x, y in filter(None, xys))
    if line:
        lines.append(f'<polyline class="path" points="{line}"/>')
    positions = dict(zip(map(id, path), xys))
    # the start last, over the end and the stops at the same place
    for label, kind, point in items[1:] + items[:1]:
        xy = positions[id(point)]
        if xy is None:
            continue
        x, y = xy
        lines.append(f'<g class="marker {kind}">'
            f'<title>{escape(title(label, kind, point))}</title>')
        if kind in {'start', 'end'}:
            lines.append(
                f'<rect x="{x - 11}" y="{y - 11}" width="22" height="22"/>')
        else:
            lines.append(f'<circle cx="{x}" cy="{y}" r="11"/>')
        lines.append(f'<text x="{x}" y="{y}">{label}</text></g>')
    bar = scale_bar([p.coordinates for p in path], width, height)
    if bar:
        km, pixels = bar
        x, y = 16, height - 16
        lines.append(f'<g class="scale"><path d="M{x},{y - 5}V{y}'
            f'H{x + pixels}V{y - 5}"/><text x="{x + pixels + 6}" '
            f'y="{y}">{distance_text(km).replace(",0 ", " ")}</text></g>')
    lines.append(f'<g class="north"><path d="M{width - 24},{46}'
        f'l-7,14h14z"/><text x="{width - 24}" y="34">N</text></g>')
    lines.append('</svg>')
    return '\n'.join(lines)


def map_data(start, stops, end):
    "The markers and path for Leaflet, as JSON-serialisable data."
    return {
        'tiles': TILES,
        'attribution': ATTRIBUTION,
        'markers': [{
                'label': label, 'kind': kind, 'title': title(
                    label, kind, point),
                'lat': point.coordinates[0], 'lon': point.coordinates[1],
                } for label, kind, point in markers(start, stops, end)
            if point.coordinates],
        'path': [list(p.coordinates) for p in [start, *stops, end]
            if p.coordinates],
        }


def json_script(data):
    "data as JSON safe inside a <script> element."
    return (json.dumps(data, ensure_ascii=False)
        .replace('<', '\\u003c').replace('>', '\\u003e')
        .replace('&', '\\u0026'))


def rows(start, stops, end):
    "The <tr> of the list of the stops."
    def row(label, kind, point):
        cells = [
            f'<td class="number"><span class="badge {kind}">{label}</span>'
            '</td>',
            f'<td>{escape(point.place)}'
            + ('' if point.coordinates else
                ' <em class="warning">(sans coordonnées)</em>')
            + '</td>',
            f'<td class="time">{hhmm(point.arrival)}</td>',
            '<td class="time">'
            f'{escape(window_text(point.window_start, point.window_end))}'
            '</td>',
            '<td class="pinned">'
            + ('<span title="Fixé : l’optimisation garde sa place">'
                '✓</span>' if point.pinned else '') + '</td>',
            f'<td>{escape(point.party or "")}</td>',
            ]
        return f'<tr class="{kind}">' + ''.join(cells) + '</tr>'
    result = [row('D', 'start', start)]
    result += [row(str(n), 'pinned' if s.pinned else 'stop', s)
        for n, s in enumerate(stops, 1)]
    result.append(row('A', 'end', end))
    return '\n'.join(result)


def render(name, garden, start, stops, end, printed, distance=None,
        duration=None, lang='fr', leaflet='/cocagne/static/leaflet'):
    """The HTML page of the map of the round.

    start and end are Points with the departure and return times as
    arrival, stops the Points in the order of the round, printed the text
    of the printing date."""
    values = {
        'lang': escape(lang),
        'name': escape(name),
        'garden': escape(garden or ''),
        'printed': escape(printed),
        'departure': hhmm(start.arrival) or '–',
        'return': hhmm(end.arrival) or '–',
        'distance': distance_text(distance),
        'duration': duration_text(duration),
        'count': len(stops),
        'rows': rows(start, stops, end),
        'plot': plot(start, stops, end),
        'data': json_script(map_data(start, stops, end)),
        'leaflet': escape(leaflet),
        }
    return Template(TEMPLATE.read_text(encoding='utf-8')).substitute(values)

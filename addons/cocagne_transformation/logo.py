"""A drawing of the EU organic logo (a leaf of stars on green), as inline
SVG: the PDF converter refuses data: and file: images."""
import math

GREEN = '#8fc43f'


def star(cx, cy, radius):
    "The points of a five-pointed star centred on (cx, cy)."
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append(
            f'{cx + r * math.cos(angle):.2f},{cy - r * math.sin(angle):.2f}')
    return ' '.join(points)


def leaf_points(count=12):
    """count points on the outline of a leaf pointing up and right, in a
    60 × 40 box: two arcs meeting at the tip and at the stem."""
    points = []
    half = count // 2
    for side in (1, -1):
        for i in range(half):
            t = (i + 0.5) / half
            # the leaf's axis goes from (14, 34) to (46, 6)
            x = 14 + 32 * t
            y = 34 - 28 * t
            bulge = 9 * math.sin(math.pi * t) * side
            points.append((x + bulge * 0.66, y + bulge * 0.75))
    return points


def organic_logo_svg(width='18mm'):
    "The SVG element of the logo, width wide (height in proportion 2:3)."
    stars = ''.join(
        f'<polygon points="{star(x, y, 2.6)}" fill="#fff"/>'
        for x, y in leaf_points())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 40" '
        f'width="{width}" role="img" aria-label="Eurofeuille">'
        f'<rect width="60" height="40" fill="{GREEN}"/>'
        f'<path d="M14 34 L10 38" stroke="#fff" stroke-width="1.5"/>'
        f'{stars}</svg>')

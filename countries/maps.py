"""The map of Europe on ``/landen/``: inline SVG drawn on the server from committed outlines.

The outlines (``data/europe.json``) are hand-made longitude/latitude polygons; docs/maps.md
says how they were made. They are projected with a sinusoidal projection centred on 5° E,
which keeps Scandinavia and Iceland from looking stretched, and written as SVG path data.
No tiles, fonts or scripts are loaded from anywhere.
"""

import json
import math
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from knowledgebase.codes import COUNTRY_NAMES

DATA = Path(__file__).resolve().parent / "data" / "europe.json"
CENTRE_LONGITUDE = 5.0
SCALE = 20.0  # SVG units per degree of latitude
SOUTH, NORTH = 43.0, 71.6  # the latitudes the map shows
MARGIN = 8.0

# The CSS fill class of each model key; a described country without a public model is "none".
MODEL_CLASSES = ("linking-pin", "network", "loose-relations")


def project(longitude, latitude):
    x = (longitude - CENTRE_LONGITUDE) * math.cos(math.radians(latitude)) * SCALE
    y = -latitude * SCALE
    return x, y


@cache
def outlines():
    """[(code, name, path data)] in file order, and the viewBox; computed once per process."""
    with DATA.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    shapes = []
    xs = []
    for feature in features:
        parts = []
        for polygon in feature["polygons"]:
            points = [project(lon, lat) for lon, lat in polygon]
            xs.extend(x for x, y in points if -y / SCALE >= SOUTH)
            parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z")
        shapes.append((feature["id"], feature["name"], " ".join(parts)))
    left, right = min(xs) - MARGIN, max(xs) + MARGIN
    top, bottom = -NORTH * SCALE - MARGIN, -SOUTH * SCALE
    view_box = f"{left:.0f} {top:.0f} {right - left:.0f} {bottom - top:.0f}"
    return tuple(shapes), view_box


def europe_map(countries, no_model_label):
    """What the map template needs for ``countries`` (public profiles with ``public_model``).

    Returns {"view_box", "context": [path data], "described": [{"country", "d", "fill",
    "label"}], "legend": [(fill, label, [countries])], "description": str}.
    """
    shapes, view_box = outlines()
    by_code = {country.code: country for country in countries}
    context, described = [], []
    for code, _name, path_data in shapes:
        country = by_code.get(code)
        if country is None:
            context.append(path_data)
            continue
        model = country.public_model
        fill = model.key if model is not None and model.key in MODEL_CLASSES else "none"
        model_label = model.title if model is not None else str(no_model_label)
        described.append(
            {
                "country": country,
                "d": path_data,
                "fill": fill,
                "label": f"{country.title}: {model_label}",
            }
        )

    legend = {}
    for item in described:
        model = item["country"].public_model
        key = (model.path if model else "~", item["fill"], model.title if model else str(no_model_label))
        legend.setdefault(key, []).append(item["country"])
    legend_rows = [(fill, label, members) for (_path, fill, label), members in sorted(legend.items())]

    drawn = {item["country"].code for item in described}
    missing = [country for country in countries if country.code not in drawn]
    sentences = [
        _(
            "Kaart van Europa met de beschreven landen en regio's, "
            "gekleurd naar hun kennisinfrastructuurmodel."
        )
    ]
    for _fill, label, members in legend_rows:
        names = ", ".join(country.title for country in members)
        sentences.append(f"{label}: {names}.")
    if missing:
        names = ", ".join(country.title for country in missing)
        sentences.append(_("Niet op de kaart: %(names)s.") % {"names": names})
    return {
        "view_box": view_box,
        "context": context,
        "described": described,
        "legend": legend_rows,
        "missing": missing,
        "description": " ".join(sentences),
    }


def known_outline_codes():
    """The codes the outlines cover (for tests and the README note)."""
    return {code for code, _name, _path in outlines()[0] if code in COUNTRY_NAMES}

"""The private relationship map of session 2: who is close to you, and who further out.

A participant places the people, groups and pets in their life on four rings around
themselves, closer to the centre the closer they feel. Like the journal, the map stays in
the participant's browser: it is kept in ``localStorage`` under :data:`STORAGE_KEY` as an
item the workbook lists (``type``, ``title``, plain-text ``lines``, ``people``, ``answers``,
``updated``). Python only sends the settings (ring names, kinds, limits, the reflection
questions and the drawing's geometry) and ignores anything the browser sends back.

The positions of the entries on a ring are computed by :func:`ring_positions`; the browser
uses the same arithmetic, so the drawing can be checked from Python.

Examples
--------
>>> from rdlearn.journal import relationship as relationship_map
>>> relationship_map.RINGS[0]
'very close'
>>> relationship_map.ring_positions(2, 0)
[(83.0, 0.0), (-83.0, 0.0)]
"""

from __future__ import annotations

import math

import anywidget
import traitlets

from rdlearn.web import assets

__all__ = [
    "MAX_ENTRIES",
    "MAX_NAME_CHARS",
    "MAX_NOTE_CHARS",
    "MAX_ANSWER_CHARS",
    "RINGS",
    "KINDS",
    "PROMPTS",
    "STORAGE_KEY",
    "TITLE",
    "YOU_RADIUS",
    "RING_EDGES",
    "MARKER_RADIUS",
    "ring_radius",
    "ring_orbits",
    "ring_positions",
    "geometry",
    "relationship_map",
    "RelationshipMap",
]

#: The most entries one map holds; the browser refuses any more with a message.
MAX_ENTRIES = 40
#: The longest name or label, in characters (an emoji counts as one).
MAX_NAME_CHARS = 40
#: The longest note on one entry.
MAX_NOTE_CHARS = 120
#: The longest answer to one of the reflection questions under the map.
MAX_ANSWER_CHARS = 2_000

#: The four rings, from the centre outwards.
RINGS = ("very close", "close", "somewhat close", "more distant")

#: What an entry can be, with its Okabe-Ito colour and a shape, so that colour is never
#: the only difference.
KINDS = (
    {"id": "person", "label": "Person", "colour": "#0072B2", "shape": "circle"},
    {"id": "group", "label": "Group", "colour": "#E69F00", "shape": "square"},
    {"id": "pet", "label": "Pet", "colour": "#009E73", "shape": "diamond"},
    {"id": "other", "label": "Other", "colour": "#CC79A7", "shape": "triangle"},
)

#: Questions shown under the map; the answers stay in the browser with the map.
PROMPTS = (
    {
        "id": "who-is-where",
        "title": "Who is where",
        "prompt": "Look at the whole map. Who sits near you, and who further out? "
        "Where does it feel full, and where thin?",
    },
    {
        "id": "closer",
        "title": "Someone I would like closer",
        "prompt": "Is there a person or group you would like to move inwards? "
        "What could be one small step towards them?",
    },
    {
        "id": "what-helps",
        "title": "What helps closeness grow",
        "prompt": "Think of a relationship that became closer over time. "
        "What made that possible, on your side and on theirs?",
    },
    {
        "id": "at-risk",
        "title": "A relationship that feels at risk",
        "prompt": "Is there a bond that seems to be drifting or strained just now? "
        "What do you notice in yourself when you think of it?",
    },
)

#: The browser storage key of the map (the workbook lists every ``rdlearn:v1:`` item).
STORAGE_KEY = "rdlearn:v1:relationship-map"
#: The map's heading, on the page and in the workbook.
TITLE = "My relationship map"

#: Radius of the centre circle ("you"), in drawing units (the drawing is 680 units wide).
YOU_RADIUS = 52
#: Where each ring starts and ends, from the centre outwards: ring ``i`` lies between
#: ``RING_EDGES[i]`` and ``RING_EDGES[i + 1]``.
RING_EDGES = (52, 114, 176, 238, 300)
#: Half the size of an entry's marker.
MARKER_RADIUS = 10

_MAX_ORBITS = 3  # a crowded ring holds up to three staggered circles of entries
_ORBIT_STEP = 20  # the distance between those circles
_SPACING = 40  # wanted distance between neighbours on one circle, room for their labels
_TWIST = math.pi / 9  # each ring starts a little further round, so rings do not line up



# --------------------------------------------------------------------------- layout


def _check_ring(ring_index: object) -> int:
    if isinstance(ring_index, bool) or not isinstance(ring_index, int):
        raise ValueError(f"the ring must be a whole number from 0 to {len(RINGS) - 1}")
    if not 0 <= ring_index < len(RINGS):
        raise ValueError(
            f"there are {len(RINGS)} rings, numbered 0 (closest) to {len(RINGS) - 1}; "
            f"got {ring_index}"
        )
    return ring_index


def _check_count(count: object) -> int:
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"the number of entries must be a whole number from 0 to {MAX_ENTRIES}")
    if not 0 <= count <= MAX_ENTRIES:
        raise ValueError(f"a map holds 0 to {MAX_ENTRIES} entries; got {count}")
    return count


def ring_radius(ring_index: int) -> float:
    """The radius of the middle of a ring (0 is the closest), in drawing units.

    >>> ring_radius(0)
    83.0
    """
    i = _check_ring(ring_index)
    return (RING_EDGES[i] + RING_EDGES[i + 1]) / 2


def ring_orbits(count: int, ring_index: int) -> int:
    """How many staggered circles ``count`` entries need on a ring (1 to 3).

    One circle while neighbours stay at least 40 units apart; a crowded ring uses two or
    three circles, alternating inner and outer places, so that markers never touch.

    >>> ring_orbits(5, 0), ring_orbits(20, 0), ring_orbits(30, 0)
    (1, 2, 3)
    """
    count = _check_count(count)
    middle = ring_radius(ring_index)
    for orbits in range(1, _MAX_ORBITS + 1):
        slots = math.ceil(count / orbits) * orbits if count else 1
        inner = middle - (orbits - 1) / 2 * _ORBIT_STEP
        if slots <= orbits or 2 * inner * math.sin(math.pi * orbits / slots) >= _SPACING:
            return orbits
    return _MAX_ORBITS


def ring_positions(count: int, ring_index: int) -> list[tuple[float, float]]:
    """Where ``count`` entries go on a ring, centred on the participant at (0, 0).

    Entries are spread evenly around the ring, starting below the centre; on a crowded
    ring they alternate between two or three circles inside the ring. The result depends
    only on the two arguments, with coordinates rounded to 0.01 (``y`` grows downwards, as
    on a screen). The browser computes the same positions.

    Parameters
    ----------
    count
        How many entries the ring holds (0 to :data:`MAX_ENTRIES`).
    ring_index
        0 for the closest ring ("very close") to 3 for the outermost ("more distant").

    Returns
    -------
    list of (x, y)
        One point per entry, in the order the entries were added.

    Raises
    ------
    ValueError
        If ``count`` or ``ring_index`` is out of range.

    Examples
    --------
    >>> ring_positions(1, 0)
    [(0.0, 83.0)]
    >>> ring_positions(1, 0) == ring_positions(1, 0)
    True
    """
    count = _check_count(count)
    middle = ring_radius(ring_index)
    orbits = ring_orbits(count, ring_index)
    slots = math.ceil(count / orbits) * orbits if count else 1
    points = []
    for k in range(count):
        angle = -math.pi / 2 + (k + 0.5) * 2 * math.pi / slots + ring_index * _TWIST
        radius = middle + (k % orbits - (orbits - 1) / 2) * _ORBIT_STEP
        x = round(radius * math.cos(angle), 2) + 0.0  # + 0.0 turns -0.0 into 0.0
        y = round(radius * math.sin(angle), 2) + 0.0
        points.append((x, y))
    return points


def geometry() -> dict:
    """The drawing's sizes, sent to the browser so that it lays the map out like Python."""
    return {
        "you_radius": YOU_RADIUS,
        "ring_edges": list(RING_EDGES),
        "marker_radius": MARKER_RADIUS,
        "max_orbits": _MAX_ORBITS,
        "orbit_step": _ORBIT_STEP,
        "spacing": _SPACING,
        "twist": _TWIST,
    }


# --------------------------------------------------------------------------- the widget


class RelationshipMap(anywidget.AnyWidget):
    """The relationship map. Build it with :func:`relationship_map`.

    Its traits carry settings to the browser only. There is no trait for the entries or
    the answers: they stay in the participant's browser, and anything the browser sends
    back is ignored.
    """

    _esm = assets.esm("relationship_map.js", css=("relationship_map.css",))
    _css = assets.css("relationship_map.css")

    storage_key = traitlets.Unicode(STORAGE_KEY).tag(sync=True)
    title = traitlets.Unicode(TITLE).tag(sync=True)
    rings = traitlets.List(list(RINGS)).tag(sync=True)
    kinds = traitlets.List([dict(k) for k in KINDS]).tag(sync=True)
    prompts = traitlets.List([dict(p) for p in PROMPTS]).tag(sync=True)
    max_entries = traitlets.Int(MAX_ENTRIES).tag(sync=True)
    max_name = traitlets.Int(MAX_NAME_CHARS).tag(sync=True)
    max_note = traitlets.Int(MAX_NOTE_CHARS).tag(sync=True)
    max_answer = traitlets.Int(MAX_ANSWER_CHARS).tag(sync=True)
    layout_geometry = traitlets.Dict(geometry()).tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        """Ignore every change sent by the browser: nothing entered comes back to Python."""
        return None


def relationship_map() -> RelationshipMap:
    """The private relationship map for session 2.

    Returns
    -------
    RelationshipMap
        A widget with the map (four rings around "you"), a form to add people, groups,
        pets or anything else, a table to move entries closer or further, a text summary
        for screen readers, reflection questions, and a "Clear my map" button. What the
        participant enters stays in their browser and appears in their workbook.
    """
    return RelationshipMap()

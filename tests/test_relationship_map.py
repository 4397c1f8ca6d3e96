"""The private relationship map: settings only go to the browser, and the ring layout."""

from __future__ import annotations

import doctest
import itertools
import math
import re
from pathlib import Path

import anywidget
import pytest

from rdlearn import figures
from rdlearn.journal import reflection
from rdlearn.journal import relationship as relationship_map

RINGS = range(len(relationship_map.RINGS))
COUNTS = range(relationship_map.MAX_ENTRIES + 1)


def esm_text() -> str:
    return str(relationship_map.RelationshipMap._esm)


def css_text() -> str:
    return str(relationship_map.RelationshipMap._css)


def journal_text() -> str:
    return (Path(reflection.__file__).parent / "journal.js").read_text("utf-8")


def synced_traits(widget) -> dict:
    """The traits the widget shares with the browser, besides those of every anywidget."""
    own = set(widget.trait_names(sync=True)) - set(anywidget.AnyWidget.class_trait_names(sync=True))
    code = {"_esm", "_css", "_anywidget_id"}  # the page code itself
    return {name: getattr(widget, name) for name in own - code}


# --------------------------------------------------------------------------- privacy


def test_widget_has_no_trait_that_could_carry_the_entries_back_to_python():
    widget = relationship_map.relationship_map()
    names = set(synced_traits(widget))
    assert names == {
        "storage_key", "title", "rings", "kinds", "prompts", "max_entries", "max_name",
        "max_note", "max_answer", "layout_geometry",
    }
    # every one of them is a fixed setting: two maps send exactly the same thing
    assert synced_traits(widget) == synced_traits(relationship_map.relationship_map())


def test_whatever_the_browser_sends_is_ignored():
    widget = relationship_map.relationship_map()
    before = synced_traits(widget)
    widget.set_state(
        {
            "people": [{"name": "Sam", "kind": "person", "ring": 0}],
            "title": "changed by the browser",
            "max_entries": 10_000,
            "rings": ["a"],
            "storage_key": "elsewhere",
        }
    )
    assert synced_traits(widget) == before
    assert not hasattr(widget, "people")
    assert widget.max_entries == relationship_map.MAX_ENTRIES == 40


def test_map_is_kept_under_the_shared_browser_prefix_for_the_workbook():
    widget = relationship_map.relationship_map()
    assert widget.storage_key == "rdlearn:v1:relationship-map"
    assert widget.storage_key.startswith(reflection.STORAGE_PREFIX)
    assert widget.title == "My relationship map"
    esm = esm_text()
    assert 'const ITEM_TYPE = "relationship-map";' in esm
    for field in ("type: ITEM_TYPE", "title,", "lines:", "people,", "updated:"):
        assert field in esm, field


def test_map_listens_to_the_same_page_events_as_the_journal_and_workbook():
    # "Erase my answers" in the workbook must also empty the map shown on the page.
    # Both take the event names from the one widget kit, which defines each of them.
    from rdlearn.web import assets

    kit = assets.path("widgetkit.js").read_text(encoding="utf-8")
    source = assets.path("relationship_map.js").read_text(encoding="utf-8")
    imported = {m: set(re.findall(r"\b[A-Z]+\b", block)) for m, block in (
        ("map", re.search(r"import \{([^}]*)\} from \"./widgetkit.js\"", source).group(1)),
        ("journal", re.search(r"import \{([^}]*)\} from \"./widgetkit.js\"",
                              journal_text()).group(1)))}
    for name in ("ERASED", "FLUSH", "SAVED"):
        found = re.search(rf'export const {name} = "([^"]+)"', kit)
        assert found, name
        assert name in imported["map"] and name in imported["journal"], name


def test_page_code_fetches_nothing_from_the_internet():
    for text in (esm_text(), css_text()):
        assert not re.search(r"https?://", text)
        assert "@import" not in text
        assert "url(" not in text
    # The only import is the shared widget kit, carried inside the module as a data: URL.
    imports = re.findall(r"^\s*import\b[^;]*?from\s*\"([^\"]*)\"", esm_text(), flags=re.M)
    assert imports and all(i.startswith("data:text/javascript;base64,") for i in imports)
    assert "fetch(" not in esm_text()


def test_page_code_never_puts_text_into_the_page_as_html():
    esm = esm_text()
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                  "new Function"):
        assert risky not in esm, risky
    assert 'dir: "auto"' in esm


def test_page_code_uses_the_python_settings_rather_than_its_own_copies():
    esm = esm_text()
    for name in ("rings", "kinds", "prompts", "max_entries", "max_name", "max_note",
                 "layout_geometry", "storage_key"):
        assert f'model.get("{name}")' in esm, name
    for testid in ("map-name", "map-kind", "map-ring", "map-note", "map-add", "map-entry-",
                   "map-closer-", "map-further-", "map-remove-", "map-summary", "map-clear",
                   "map-clear-confirm"):
        assert f'"{testid}' in esm or f"`{testid}" in esm, testid


# --------------------------------------------------------------------------- settings


def test_four_rings_from_very_close_to_more_distant():
    assert relationship_map.RINGS == ("very close", "close", "somewhat close", "more distant")
    edges = relationship_map.RING_EDGES
    assert len(edges) == len(relationship_map.RINGS) + 1
    assert edges[0] == relationship_map.YOU_RADIUS
    assert all(a < b for a, b in itertools.pairwise(edges))


def test_kinds_differ_in_colour_and_in_shape_with_okabe_ito_colours():
    kinds = relationship_map.KINDS
    assert [k["id"] for k in kinds] == ["person", "group", "pet", "other"]
    palette = set(figures.OKABE_ITO.values())
    assert all(k["colour"] in palette for k in kinds)
    assert len({k["colour"] for k in kinds}) == len(kinds)
    assert len({k["shape"] for k in kinds}) == len(kinds)
    esm = esm_text()
    for shape in {k["shape"] for k in kinds} - {"circle"}:
        assert f'"{shape}"' in esm, shape


def test_reflection_questions_cover_the_four_themes():
    prompts = relationship_map.PROMPTS
    assert [p["id"] for p in prompts] == ["who-is-where", "closer", "what-helps", "at-risk"]
    for p in prompts:
        assert p["title"].strip() and p["prompt"].strip().endswith("?")
    assert len({p["id"] for p in prompts}) == len(prompts)


def test_limits_sent_to_the_browser():
    widget = relationship_map.relationship_map()
    assert (widget.max_entries, widget.max_name, widget.max_note) == (40, 40, 120)
    assert widget.layout_geometry == relationship_map.geometry()
    assert widget.layout_geometry["ring_edges"] == list(relationship_map.RING_EDGES)


def test_module_examples_run():
    result = doctest.testmod(relationship_map)
    assert result.attempted >= 5
    assert result.failed == 0


# --------------------------------------------------------------------------- layout


def _angle(point) -> float:
    return math.atan2(point[1], point[0]) % (2 * math.pi)


def _min_angular_gap(points) -> float:
    angles = sorted(_angle(p) for p in points)
    gaps = [b - a for a, b in itertools.pairwise(angles)]
    gaps.append(2 * math.pi - angles[-1] + angles[0])
    return min(gaps)


def test_positions_are_deterministic_and_one_per_entry():
    for ring in RINGS:
        for count in COUNTS:
            first = relationship_map.ring_positions(count, ring)
            assert len(first) == count
            assert relationship_map.ring_positions(count, ring) == first
            assert all(round(x, 2) == x and round(y, 2) == y for x, y in first)


def test_every_entry_sits_inside_its_own_ring():
    edges = relationship_map.RING_EDGES
    r = relationship_map.MARKER_RADIUS
    for ring in RINGS:
        for count in COUNTS:
            for point in relationship_map.ring_positions(count, ring):
                distance = math.hypot(*point)
                assert edges[ring] + r <= distance + 0.01, (ring, count, point)
                assert distance - 0.01 <= edges[ring + 1] - r, (ring, count, point)


def test_markers_never_touch_even_with_every_entry_on_one_ring():
    diameter = 2 * relationship_map.MARKER_RADIUS
    for ring in RINGS:
        for count in range(2, relationship_map.MAX_ENTRIES + 1):
            points = relationship_map.ring_positions(count, ring)
            closest = min(math.dist(a, b) for a, b in itertools.combinations(points, 2))
            assert closest > diameter, (ring, count, closest)


def test_entries_are_spread_evenly_around_the_ring():
    for ring in RINGS:
        for count in range(2, relationship_map.MAX_ENTRIES + 1):
            points = relationship_map.ring_positions(count, ring)
            orbits = relationship_map.ring_orbits(count, ring)
            # at most orbits - 1 places are left empty so the staggered circles close up
            slots = count + orbits - 1
            assert _min_angular_gap(points) >= 2 * math.pi / slots - 1e-3, (ring, count)


def test_a_few_entries_share_one_circle_at_equal_angles():
    for ring in RINGS:
        for count in range(2, 9):
            points = relationship_map.ring_positions(count, ring)
            radii = {round(math.hypot(*p), 1) for p in points}
            assert radii == {relationship_map.ring_radius(ring)}
            assert _min_angular_gap(points) == pytest.approx(2 * math.pi / count, abs=1e-3)


def test_a_crowded_ring_staggers_its_entries_on_more_circles():
    assert relationship_map.ring_orbits(4, 0) == 1
    crowded = relationship_map.ring_positions(30, 0)
    assert relationship_map.ring_orbits(30, 0) > 1
    assert len({round(math.hypot(*p)) for p in crowded}) == relationship_map.ring_orbits(30, 0)
    # the outer rings are longer, so they stay on one circle for longer
    for count in COUNTS:
        orbits = [relationship_map.ring_orbits(count, ring) for ring in RINGS]
        assert orbits == sorted(orbits, reverse=True)


def test_entries_go_round_the_ring_in_the_order_they_were_added():
    for ring in RINGS:
        for count in range(2, relationship_map.MAX_ENTRIES + 1):
            points = relationship_map.ring_positions(count, ring)
            start = _angle(points[0])
            turned = [(_angle(p) - start) % (2 * math.pi) for p in points]
            assert turned == sorted(turned), (ring, count)


@pytest.mark.parametrize(
    ("count", "ring", "problem"),
    [
        (-1, 0, "0 to 40"),
        (41, 0, "0 to 40"),
        (True, 0, "whole number"),
        (2.0, 0, "whole number"),
        (3, 4, "numbered 0"),
        (3, -1, "numbered 0"),
        (3, "0", "whole number"),
    ],
)
def test_out_of_range_layout_requests_are_refused_with_a_clear_message(count, ring, problem):
    with pytest.raises(ValueError, match=problem):
        relationship_map.ring_positions(count, ring)

"""The research charts.

Builders take data or finding ids and return a plotly figure. :mod:`.theme` holds the house
look (:func:`finish`, the palette, :func:`present`) and the text and table alternatives; the
builders live by topic in :mod:`.prevalence`, :mod:`.experience` and :mod:`.effects`; the
connection exercise's minute-by-minute chart lives with its feature, in
:mod:`rdlearn.connection.figures`.
"""

from rdlearn._lazy import exports
from rdlearn.figures.names import CHART_BUILDER_MODULES

_NAMES = {
    **{name: "theme" for name in (
        "OKABE_ITO", "PALETTE", "finish", "describe", "data_table", "table_html", "present",
        "Presentation", "read_chart",
    )},
    **CHART_BUILDER_MODULES,
    "chart": "shown",
    "Chart": "shown",
    "CHART_BUILDERS": "names",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)

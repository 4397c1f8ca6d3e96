"""The research charts.

Builders take data or finding ids and return a plotly figure.
"""

from rdlearn._lazy import exports
from rdlearn.figures.names import CHART_BUILDERS

_NAMES = {
    "present": "charts",
    "finish": "charts",
    **{name: "charts" for name in CHART_BUILDERS},
    "CHART_BUILDERS": "names",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)

"""What stays in the participant's browser.

The reflection journal, the relationship map and the workbook.
"""

from rdlearn._lazy import exports

_NAMES = {
    "session_journal": "reflection",
    "journal": "reflection",
    "workbook": "reflection",
    "relationship_map": "relationship",
    "BrowserStore": "reflection",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)

"""What every page shares.

Safe HTML builders, the widgets' browser code, the browser used for PDFs.
"""

from rdlearn._lazy import exports

_NAMES = {
    "esc": "html",
    "tag": "html",
    "bullets": "html",
    "card": "html",
    "page_html": "html",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)

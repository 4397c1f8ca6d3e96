"""Where the headless Chromium lives and how rdlearn starts it (handouts' PDFs, the tests)."""

from __future__ import annotations

__all__ = ["CHROMIUM", "CHROMIUM_ARGS"]

#: Debian's ``chromium`` package; Playwright's own browser download does not work offline.
CHROMIUM = "/usr/bin/chromium"
#: Flags for a closed network: no background requests, no first-run work, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

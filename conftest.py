"""Keep every test run away from the user's real data: the room store goes to a temp file."""

import os
import tempfile

_scratch = tempfile.mkdtemp(prefix="rdlearn-tests-")
os.environ["RDLEARN_STORE"] = os.path.join(_scratch, "store.sqlite")
os.environ["RDLEARN_CACHE_DIR"] = os.path.join(_scratch, "cache")  # schema verdicts
os.environ.pop("RDLEARN_FACILITATOR_KEY", None)


def pytest_collection_modifyitems(items):
    """Run the browser tests last: Playwright's sync API keeps an event loop running for the
    rest of the session, which tests that run their own Tornado loop cannot share."""
    items.sort(key=lambda item: "/e2e/" in str(item.path))

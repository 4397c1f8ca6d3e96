"""Keep every test run away from the user's real data: the room store goes to a temp file."""

import os
import tempfile

_scratch = tempfile.mkdtemp(prefix="rdlearn-tests-")
os.environ["RDLEARN_STORE"] = os.path.join(_scratch, "store.sqlite")
os.environ.pop("RDLEARN_FACILITATOR_KEY", None)

"""Moved to newsgraph.store.embedded; this name stays importable (it is that module)."""

import sys

from newsgraph.store import embedded

sys.modules[__name__] = embedded

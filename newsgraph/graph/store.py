"""The store layer moved to newsgraph.store; this module keeps its names importable."""

from newsgraph.store import *  # noqa: F403
from newsgraph.store import __all__  # noqa: F401

"""Moved to newsgraph.store.neo4j; this name stays importable (it is that module)."""

import sys

from newsgraph.store import neo4j

sys.modules[__name__] = neo4j

"""newsgraph: news articles to a knowledge graph of actors and events."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__", "extract"]


def extract(article, **options):
    """Extract actors and events from one Article (see newsgraph.ingest.pipeline.extract)."""
    from newsgraph.ingest.pipeline import extract as _extract

    return _extract(article, **options)

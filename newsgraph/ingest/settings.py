"""What an extraction run is given and what it gives back for an article it cannot extract, apart
from the pipeline itself: a process that only hands work out (a Dask client) reads these without
importing spaCy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    pipeline: str | None = None
    gazetteer: str | None = None
    triggers: str | None = None
    model: str | None = None  # a trained model file; None: the one newsgraph ships; "rules": none


@dataclass(frozen=True)
class ExtractionFailure:
    """One article that could not be extracted: which, why in one line, and the traceback for -v."""

    source: str
    reason: str
    detail: str = ""

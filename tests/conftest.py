"""Shared fixtures: the hand-built world, temporary stores, and the shared/ directory when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests.fixtures.world import world

# In CI the property tests replay a fixed set of examples, so a red run always means a change broke
# something; locally they explore new examples each run (and remember failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def extractions():
    return world()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval" / "dev" / "articles").is_dir():
        pytest.skip("../shared is absent: the dev set and seeds are not available here")
    return SHARED

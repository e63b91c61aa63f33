"""Shared fixtures: the hand-built world, temporary stores, and the shared/ directory when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.world import world

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def extractions():
    return world()


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "eval" / "dev" / "articles").is_dir():
        pytest.skip("../shared is absent: the dev set and seeds are not available here")
    return SHARED

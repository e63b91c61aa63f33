"""Shared fixtures: the hand-built world, temporary stores, and the shared/ directory when present."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from tests.fixtures.disks import mount_unavailable, remount_read_only, tmpfs
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
def written_set() -> tuple[Path, Path]:
    """training/written: the gold and articles directories of the articles written to teach the model."""
    return ROOT / "training" / "written" / "gold", ROOT / "training" / "written" / "articles"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval" / "dev" / "articles").is_dir():
        pytest.skip("../shared is absent: the dev set and seeds are not available here")
    return SHARED


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 1 MiB file system (tmpfs) for one test: full disks. Skipped with the reason where it cannot be mounted."""
    if reason := mount_unavailable():
        pytest.skip(reason)
    with tmpfs(tmp_path / "small-disk", "1m") as disk:
        yield disk


@pytest.fixture
def read_only_disk(tmp_path):
    """copy(directory) -> a copy of its files on a file system mounted read-only for the test."""
    if reason := mount_unavailable():
        pytest.skip(reason)
    with tmpfs(tmp_path / "read-only-disk", "64m") as disk:

        def copy(directory: Path) -> Path:
            for file in directory.iterdir():
                shutil.copy(file, disk / file.name)
            remount_read_only(disk)
            return disk

        yield copy

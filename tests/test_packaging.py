"""pyproject.toml: metadata that the setuptools pip installs takes without warnings, and that every
setuptools the build requires can read."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.licenses import canonicalize_license_expression
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
FIRST_SPDX_SETUPTOOLS = Version("77")  # the first to take project.license as an SPDX string


def test_the_license_is_an_spdx_expression_not_a_table_or_classifier():
    # A table ({text = "MIT"}) or a License classifier makes setuptools >= 77 warn on every install.
    license_ = PYPROJECT["project"]["license"]
    assert isinstance(license_, str) and canonicalize_license_expression(license_) == license_
    assert not [c for c in PYPROJECT["project"].get("classifiers", []) if c.startswith("License ::")]


def test_every_setuptools_the_build_allows_reads_the_license():
    (setuptools,) = [Requirement(r) for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    floors = [Version(s.version) for s in setuptools.specifier if s.operator in (">=", "==", "~=")]
    assert floors and min(floors) >= FIRST_SPDX_SETUPTOOLS, str(setuptools.specifier)

"""The event taxonomy (categories, PLOVER mapping) and trigger lexicon, loaded from YAML data files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsgraph.errors import ConfigError


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    definition: str
    agent: str
    patient: str
    plover: str | None = None
    plover_match: str | None = None


def read_yaml(path: str | Path | None, packaged: str) -> Any:
    """A YAML file from the user's path, or the packaged default of that name; errors name the file."""
    try:
        if path is None:
            text = resources.files("newsgraph.data").joinpath(packaged).read_text(encoding="utf-8")
            where = f"newsgraph/data/{packaged}"
        else:
            text = Path(path).read_text(encoding="utf-8")
            where = str(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({str(exc).splitlines()[0]})") from exc


@cache
def load_taxonomy(path: str | None = None) -> dict[str, Category]:
    data = read_yaml(path, "taxonomy.yaml")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise ConfigError(f"{path or 'taxonomy.yaml'}: no 'categories' mapping")
    out = {}
    for name, spec in cats.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{path or 'taxonomy.yaml'}: category {name!r} must be a mapping")
        out[name] = Category(
            name=name,
            label=spec.get("label", name),
            definition=spec.get("definition", ""),
            agent=spec.get("agent", ""),
            patient=spec.get("patient", ""),
            plover=spec.get("plover"),
            plover_match=spec.get("plover_match"),
        )
    return out

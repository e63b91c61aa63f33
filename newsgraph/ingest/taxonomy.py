"""The event taxonomy (categories, PLOVER mapping, how the rules treat each category) loaded from YAML,
and the YAML reader the other data files share."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsgraph.errors import ConfigError
from newsgraph.model import MODALITIES

# The values the choice fields take (taxonomy.yaml says what each means).
NEEDS_PATIENT = ("never", "always", "for_nouns", "unless_addressed")
PATIENT_FROM_SAID = ("none", "subject", "anyone_named")
PATIENT_DEFAULT = ("none", "affiliation", "post_or_affiliation")


@dataclass(frozen=True)
class Category:
    """One event category: what it means for an analyst, and how the rules treat it (taxonomy.yaml
    says what each field means; the defaults give a category no special treatment)."""

    name: str
    label: str
    definition: str
    agent: str
    patient: str
    plover: str | None = None
    plover_match: str | None = None
    # roles
    subject_is_patient: bool = False
    needs_patient: str = "never"
    passive_without_agent: bool = False
    implied_agent_roles: tuple[str, ...] = ()
    implied_agent_classes: tuple[str, ...] = ()
    passive_subject_joins: bool = False
    patient_default: str = "none"
    compound_is_agent: bool = False
    patient_from_said: str = "none"
    patient_after_topic: bool = False
    finding_as: str | None = None
    # triggers, speech and modality
    asks_for_act: bool = False
    answers: bool = False
    from_saying: bool = False
    quoted: bool = False
    modality: str | None = None
    # dating
    always_past: bool = False
    dated_by_own_phrase: bool = False
    announces: bool = False
    # one event per occasion
    plain_saying: bool = False
    absorbs_sayings: bool = True
    decides: bool = False
    aimed_at_decision: bool = False
    authors_documents: bool = False
    patient_from_other_telling: bool = False
    once_per_patient: bool = False


FLAGS = tuple(f.name for f in fields(Category) if f.type == "bool")
CHOICES = {
    "needs_patient": NEEDS_PATIENT,
    "patient_from_said": PATIENT_FROM_SAID,
    "patient_default": PATIENT_DEFAULT,
    "modality": MODALITIES,
}
NAME_LISTS = ("implied_agent_roles", "implied_agent_classes")


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
    where = path or "taxonomy.yaml"
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise ConfigError(f"{where}: no 'categories' mapping")
    out = {}
    for name, spec in cats.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: category {name!r} must be a mapping")
        out[name] = Category(
            name=name,
            label=spec.get("label", name),
            definition=spec.get("definition", ""),
            agent=spec.get("agent", ""),
            patient=spec.get("patient", ""),
            plover=spec.get("plover"),
            plover_match=spec.get("plover_match"),
            **_rules(where, name, spec, cats),
        )
    return out


def _rules(where: str, name: str, spec: dict[str, Any], categories: dict[str, Any]) -> dict[str, Any]:
    """The rule fields a category sets, checked; those it leaves out keep their defaults."""
    out: dict[str, Any] = {}
    for key, value in spec.items():
        wrong = f"{where}: category {name!r}: {key}"
        if value is None and key in ("modality", "finding_as"):
            pass  # stated as none, as the default is
        elif key in FLAGS:
            if not isinstance(value, bool):
                raise ConfigError(f"{wrong} must be true or false, not {value!r}")
        elif key in CHOICES:
            if value not in CHOICES[key]:
                raise ConfigError(f"{wrong} must be one of {', '.join(CHOICES[key])}, not {value!r}")
        elif key in NAME_LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{wrong} must be a list of names, not {value!r}")
            value = tuple(value)
        elif key == "finding_as":
            if not isinstance(value, str) or value not in categories:
                raise ConfigError(f"{wrong} must be a category of the taxonomy, not {value!r}")
        else:
            continue
        out[key] = value
    return out

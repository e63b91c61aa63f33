"""The trained layers extraction uses, in one file: the entity layer (merges, types, descriptions)
and the event layer (triggers, roles, dating). `newsgraph train` writes it; `--model PATH` (or
NEWSGRAPH_MODEL) reads it; without either, the one newsgraph ships; "rules" for the rules alone.
The file holds weights, feature names and thresholds only, never article text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from newsgraph.errors import ConfigError
from newsgraph.ingest.entity_model import EntityModel
from newsgraph.ingest.events.classifier import EventModel
from newsgraph.ingest.linear import check_format, dump_json, load_json

FORMAT = "newsgraph-model/1"
SHIPPED = "model.json"
RULES_ONLY = "rules"


@dataclass
class TrainedModel:
    entities: EntityModel | None = None
    events: EventModel | None = None
    meta: dict = field(default_factory=dict)

    def to_json(self) -> str:
        """Deterministic JSON: the same model gives the same bytes."""
        return dump_json(
            {
                "format": FORMAT,
                "meta": self.meta,
                "entities": self.entities.to_dict() if self.entities is not None else None,
                "events": self.events.to_dict() if self.events is not None else None,
            }
        )

    @classmethod
    def from_json(cls, text: str, where: str = "model") -> TrainedModel:
        data = load_json(text, "newsgraph model", where)
        check_format(data, FORMAT, "newsgraph model", where)
        entities = EntityModel.from_dict(data["entities"], where) if data.get("entities") else None
        events = EventModel.from_dict(data["events"], where) if data.get("events") else None
        return cls(entities, events, data.get("meta") or {})


@cache
def load_model(path: str | None = None) -> TrainedModel:
    """The trained layers of a model file, of the shipped one (None), or none at all ('rules')."""
    if path == RULES_ONLY:
        return TrainedModel()
    try:
        if path is None:
            text = resources.files("newsgraph.data").joinpath(SHIPPED).read_text(encoding="utf-8")
            where = f"newsgraph/data/{SHIPPED}"
        else:
            text = Path(path).read_text(encoding="utf-8")
            where = path
    except FileNotFoundError:
        if path is None:
            return TrainedModel()  # a checkout that has not trained its model yet runs on the rules
        raise ConfigError(f"{path}: no such model file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the model ({getattr(exc, 'strerror', None) or exc})") from exc
    return TrainedModel.from_json(text, where)

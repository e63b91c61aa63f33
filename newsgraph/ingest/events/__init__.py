"""Events from the dependency parse: triggers from the YAML lexicon, agents and patients, modality,
quotes, dates and one event per occasion; one module per job, EventExtractor composes them."""

from newsgraph.ingest.events.extractor import EventExtractor
from newsgraph.ingest.events.lexicon import Lexicon, VerbRule, load_lexicon
from newsgraph.ingest.events.raw import RawEvent, Trigger

__all__ = ["EventExtractor", "Lexicon", "RawEvent", "Trigger", "VerbRule", "load_lexicon"]

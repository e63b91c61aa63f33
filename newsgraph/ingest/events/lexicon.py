"""The trigger lexicon: which verbs, phrases and nouns signal which event category (triggers.yaml),
read against the taxonomy whose categories it carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Token

from newsgraph.errors import ConfigError
from newsgraph.ingest.taxonomy import Category, load_taxonomy, read_yaml

DEFAULT_PATIENT_PREPS = ("to", "on", "upon", "against", "from", "over", "with", "at", "into")


@dataclass(frozen=True)
class VerbRule:
    category: str
    particles: tuple[str, ...] = ()
    patient_preps: tuple[str, ...] = DEFAULT_PATIENT_PREPS
    speech: bool = False
    objects: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    passive_patient: bool = True
    not_objects: tuple[str, ...] = ()


@dataclass
class Lexicon:
    verbs: dict[str, VerbRule]
    phrases: list[tuple[tuple[str, ...], str]]
    nouns: dict[str, str]
    speech_cues: dict[str, list[str]]
    forms: dict[str, str] = field(default_factory=dict)  # inflected form -> lemma, for lemmatiser slips
    categories: dict[str, Category] = field(default_factory=load_taxonomy)  # what the categories mean

    def __post_init__(self) -> None:
        for lemma in self.verbs:
            for form in inflections(lemma):
                self.forms.setdefault(form, lemma)
        self._phrases_by_verb: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for lemmas, cat in self.phrases:
            self._phrases_by_verb.setdefault(lemmas[0], []).append((lemmas, cat))

    def phrases_of(self, lemma: str) -> list[tuple[tuple[str, ...], str]]:
        """The phrases whose verb is `lemma` (lower-case), in the lexicon's order."""
        return self._phrases_by_verb.get(lemma, [])

    def verb(self, tok: Token) -> VerbRule | None:
        """The rule for a verb token, by lemma, else by its form ('rated' is lemmatised as 'rat')."""
        rule = self.verbs.get(tok.lemma_.lower())
        if rule is None and tok.lower_ in self.forms:
            rule = self.verbs[self.forms[tok.lower_]]
        return rule

    def is_saying(self, tok: Token) -> bool:
        """Whether a token is a verb of saying."""
        rule = self.verb(tok) if tok.pos_ in ("VERB", "AUX") else None
        return bool(rule and rule.speech)


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a verb: rate -> rates, rated, rating; apply -> applied."""
    out = {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
    if lemma.endswith("e"):
        out |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        out |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        out.add(lemma + "es")
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


@cache
def load_lexicon(path: str | None = None) -> Lexicon:
    data = read_yaml(path, "triggers.yaml")
    categories = load_taxonomy()
    where = path or "triggers.yaml"
    verbs = {}
    for lemma, spec in (data.get("verbs") or {}).items():
        spec = {"category": spec} if isinstance(spec, str) else dict(spec)
        if spec.get("category") not in categories:
            raise ConfigError(f"{where}: verb {lemma!r} has unknown category {spec.get('category')!r}")
        verbs[lemma] = VerbRule(
            category=spec["category"],
            particles=tuple(spec.get("particles", ())),
            patient_preps=tuple(spec.get("patient_preps", DEFAULT_PATIENT_PREPS)),
            speech=bool(spec.get("speech", False)),
            objects=tuple(spec.get("objects", ())),
            subjects=tuple(spec.get("subjects", ())),
            passive_patient=bool(spec.get("passive_patient", True)),
            not_objects=tuple(spec.get("not_objects", ())),
        )
    phrases = []
    for entry in data.get("phrases") or []:
        if entry.get("category") not in categories:
            raise ConfigError(f"{where}: phrase {entry!r:.60} has an unknown category")
        phrases.append((tuple(entry["lemmas"]), entry["category"]))
    nouns = dict(data.get("nouns") or {})
    for noun, cat in nouns.items():
        if cat not in categories:
            raise ConfigError(f"{where}: noun {noun!r} has unknown category {cat!r}")
    speech = {k: [c.lower() for c in v] for k, v in (data.get("speech") or {}).items()}
    return Lexicon(verbs, phrases, nouns, speech, categories=categories)

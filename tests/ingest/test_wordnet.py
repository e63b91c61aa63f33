"""WordNet's supersenses (newsgraph/data/supersenses.tsv.gz), the tool that builds them, and the
description features that read them."""

from __future__ import annotations

import gzip
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from newsgraph.ingest import entity_model
from newsgraph.ingest.wordnet import NOUN, VERB, supersenses
from tests.fixtures.entities import typed_entities

ROOT = Path(__file__).resolve().parents[2]
BUILDER = ROOT / "tools" / "wordnet" / "build_supersenses.py"


def test_common_words_have_their_commonest_senses_first():
    assert supersenses("congressman")[0] == "person"
    assert supersenses("envoy")[0] == "person"
    assert supersenses("firm")[0] == "group"
    assert supersenses("lawsuit")[0] == "act"
    assert supersenses("sue", VERB)[0] == "social"
    assert supersenses("indict", VERB) == ("social",)
    assert supersenses("indict", NOUN) == ()  # a verb only
    assert supersenses("Congressman") == ()  # lemmas are lower case
    assert supersenses("zzxq") == ()


def test_the_shipped_table_carries_the_wordnet_licence_and_its_source():
    raw = resources.files("newsgraph.data").joinpath("supersenses.tsv.gz").read_bytes()
    header = [line for line in gzip.decompress(raw).decode("utf-8").splitlines()[:40] if line.startswith("#")]
    text = "\n".join(header)
    assert "Copyright" in text and "Princeton University" in text
    assert "Built by tools/wordnet/build_supersenses.py from WordNet 3.1" in text


# Two nouns and a verb in WordNet's database format (wndb(5WN)): index lines list a word's synsets,
# commonest first; data lines give each synset's lexicographer file (18 noun.person, 14 noun.group,
# 4 noun.act, 41 verb.social).
DATA_NOUN = """  1 This line stands for the licence WordNet puts at the top of each file.
00000100 18 n 01 envoy 0 000 | a diplomat
00000200 14 n 01 board 0 000 | a committee
00000300 04 n 01 board 1 000 | a meal, as an act
00000400 18 n 01 board 2 000 | a boarder
00000500 14 n 01 board 3 000 | a fourth sense, past those kept
"""
INDEX_NOUN = """  1 licence
board n 4 1 @ 4 2 00000200 00000300 00000400 00000500
envoy n 1 1 @ 1 1 00000100
new_york n 1 0 1 0 00000100
"""
DATA_VERB = """00000900 41 v 01 sue 0 000 | to take to court
"""
INDEX_VERB = """sue v 1 1 @ 1 1 00000900
"""


def _dict_dir(tmp_path: Path, index_noun: str = INDEX_NOUN) -> Path:
    d = tmp_path / "dict"
    d.mkdir()
    for name, text in (
        ("data.noun", DATA_NOUN),
        ("index.noun", index_noun),
        ("data.verb", DATA_VERB),
        ("index.verb", INDEX_VERB),
    ):
        (d / name).write_text(text, encoding="utf-8")
    return d


def _build(dict_dir: Path, out: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(BUILDER), str(dict_dir), str(out), "--source", "a test WordNet"]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_the_builder_keeps_the_distinct_supersenses_of_the_first_three_senses_and_the_same_bytes(tmp_path):
    d = _dict_dir(tmp_path)
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    assert _build(d, first).returncode == 0
    assert _build(d, second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    lines = gzip.decompress(first.read_bytes()).decode("utf-8").splitlines()
    rows = [line for line in lines if not line.startswith("#")]
    # board: group, act, person (its fourth sense, another group, is past the three kept); no phrase
    assert rows == ["n\tboard\tgroup act person", "n\tenvoy\tperson", "v\tsue\tsocial"]
    assert "# Built by tools/wordnet/build_supersenses.py from a test WordNet." in lines
    assert any("Princeton University" in line for line in lines)  # the licence, from tools/wordnet/LICENSE


def test_the_builder_refuses_an_index_line_whose_senses_do_not_add_up(tmp_path):
    d = _dict_dir(tmp_path, INDEX_NOUN.replace("envoy n 1 1 @ 1 1 00000100", "envoy n 2 1 @ 2 1 00000100"))
    result = _build(d, tmp_path / "out.tsv.gz")
    assert result.returncode != 0
    assert "malformed line for 'envoy'" in result.stderr


NEWS = (
    "Henry Vale, who represents a district in Texas, was charged on Friday alongside Ridgeback Energy."
    " The congressman denied wrongdoing. The deal that the company struck with him was worth $600,000."
)


@pytest.fixture(scope="module")
def extractor():
    from newsgraph.ingest.pipeline import Extractor, Settings

    return Extractor(Settings())


def test_a_description_tells_the_ranker_what_kind_of_thing_its_head_names(extractor):
    model = extractor.entity_model
    ents = typed_entities(extractor, NEWS, "2024-05-03")
    found = {d.text: d for d in entity_model.descriptions(ents)}
    assert {"The congressman", "The deal"} <= set(found), found
    seen = {}
    for text in ("The congressman", "The deal"):
        d = found[text]
        for c in entity_model.description_candidates(ents, d):
            f = entity_model.description_features(ents, d, c, model.centroids, {})
            seen[(text, c.type)] = {k for k in f if k.startswith("head_sense")}
    assert seen[("The congressman", "Person")] == {"head_sense=person|type=Person"}
    assert "head_sense=act|type=Organisation" in seen[("The deal", "Organisation")]

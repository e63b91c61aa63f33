"""extract_parallel: the same extractions as extract_many, in input order, from worker processes."""

from __future__ import annotations

import pytest

from newsgraph.errors import InputError
from newsgraph.ingest.pipeline import extract_many, extract_parallel
from newsgraph.model import Article

ARTICLES = [
    Article(
        body="The Eastmere Dockers Union called a strike on Monday. Its leader, Mira Quell, said talks had failed.",
        source="a.txt",
        date="2024-03-05",
    ),
    Article(body="Wendleby Council appointed Ada Finch as its new chief executive.", source="b.txt"),
    Article(
        body="The harbour board criticised the union on Tuesday and urged it to accept arbitration.",
        source="c.txt",
        date="2024-03-06",
    ),
]


@pytest.mark.slow
def test_parallel_gives_the_same_extractions_in_order():
    expected = [ex.to_dict() for ex in extract_many(ARTICLES)]
    got = [ex.to_dict() for ex in extract_parallel(ARTICLES, workers=2, chunk=1)]
    assert got == expected
    assert [ex["article"]["source"] for ex in got] == ["a.txt", "b.txt", "c.txt"]
    assert got[0]["entities"] and got[0]["events"]  # a comparison of empty results would prove nothing


@pytest.mark.parametrize(("workers", "chunk"), [(0, 16), (2, 0)])
def test_workers_and_chunk_must_be_positive(workers, chunk):
    with pytest.raises(InputError, match="at least 1"):
        next(extract_parallel(ARTICLES, workers=workers, chunk=chunk))

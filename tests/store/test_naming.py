"""What an actor node is called: its articles' most frequent full spelling and most frequent type."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.store.naming import abbreviates, actor_naming, is_full_name, may_rename

DALGLISH = "person:fiona-dalglish"


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("Fiona Dalgleish", True),
        ("Sir Martyn Oliver", True),
        ("Department for Education", True),
        ("Year 10 Group", True),
        ("Ms Perry", False),  # a surname with a title
        ("Dalgleish", False),
        ("Mira", False),
        ("Coroner", False),
        ("The chief inspector", False),
        ("the coroner", False),
        ("NUSL", False),
    ],
)
def test_a_full_name_is_spelt_out(name, full):
    assert is_full_name(name) is full


def test_the_most_frequent_full_spelling_names_the_actor_whatever_the_order():
    votes = [("Fiona Dalglish", "Person", 1), ("Fiona Dalgleish", "Person", 1), ("Fiona Dalgleish", "Person", 2)]
    for order in itertools.permutations(votes):
        assert actor_naming(DALGLISH, "Fiona Dalglish", "Person", order) == ("Fiona Dalgleish", "Person")


def test_titles_and_names_cut_short_never_name_an_actor_that_has_a_full_name():
    votes = [("Coroner", "Organisation", 1), ("Dalgleish", "Organisation", 3), ("Fiona Dalglish", "Person", 1)]
    assert actor_naming(DALGLISH, "Coroner", "Organisation", votes) == ("Fiona Dalglish", "Person")
    # Without a full name, they are all there is.
    assert actor_naming("organisation:coroner", "Coroner", "Organisation", votes[:2]) == ("Dalgleish", "Organisation")


def test_a_tie_goes_to_more_mentions_then_to_the_spelling_of_the_id():
    one_each = [("Fiona Dalgleish", "Person", 1), ("Fiona Dalglish", "Person", 1)]
    assert actor_naming(DALGLISH, "x", "Person", one_each) == ("Fiona Dalglish", "Person")
    assert actor_naming("person:fiona-dalgleish", "x", "Person", one_each) == ("Fiona Dalgleish", "Person")
    more = [("Fiona Dalgleish", "Person", 4), ("Fiona Dalglish", "Person", 1)]
    assert actor_naming(DALGLISH, "x", "Person", more) == ("Fiona Dalgleish", "Person")


def test_the_type_most_articles_give_and_person_on_a_tie():
    votes = [("Hale Water", "Organisation", 1), ("Hale Water", "Place", 1), ("Hale Water", "Organisation", 1)]
    assert actor_naming("place:hale-water", "Hale Water", "Place", votes) == ("Hale Water", "Organisation")
    tie = [("Nell Crane", "Organisation", 1), ("Nell Crane", "Person", 1)]
    assert actor_naming("organisation:nell-crane", "Nell Crane", "Organisation", tie)[1] == "Person"


def test_a_mention_stored_before_names_were_kept_votes_for_the_name_as_it_stands():
    votes = [(None, None, 2), ("Fiona Dalgleish", "Person", 1)]
    assert actor_naming(DALGLISH, "Fiona Dalglish", "Person", votes) == ("Fiona Dalglish", "Person")


NAMES = ["Fiona Dalgleish", "Fiona Dalglish", "F Dalgleish", "Dalgleish", "Coroner", "Ms Dalgleish", None]
KINDS = ["Person", "Organisation", "Other", None]


@given(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(KINDS), st.integers(0, 3)), min_size=1, max_size=8))
def test_naming_again_only_when_an_article_may_rename_gives_the_name_of_all_the_votes(votes):
    """The embedded store names an actor again only when may_rename says an article can change it:
    that gives, article after article, what naming from all the votes gives."""
    first_name, first_kind, _ = votes[0]
    name, kind = first_name or "Fiona Dalglish", first_kind or "Person"
    seen = [(name, kind, votes[0][2])]
    for vote_name, vote_kind, mentions in votes[1:]:
        seen.append((vote_name, vote_kind, mentions))
        if may_rename(name, kind, vote_name, vote_kind):
            name, kind = actor_naming(DALGLISH, name, kind, seen)
        # A vote without name or type is for the name as it stands: only comparable when resolved.
        if all(n and k for n, k, _ in seen):
            assert (name, kind) == actor_naming(DALGLISH, "?", "?", seen)


def test_a_name_with_initials_counts_for_the_spelling_it_abbreviates_and_never_names_the_actor_over_it():
    votes = [("Katarzyna Nowak", "Person", 1), ("Katarzyna Novak", "Person", 2), ("K Nowak", "Person", 1)]
    for order in itertools.permutations(votes):
        assert actor_naming("person:katarzyna-novak", "x", "Person", order) == ("Katarzyna Nowak", "Person")
    assert actor_naming("person:k-nowak", "K Nowak", "Person", [("K. Nowak", "Person", 3)]) == ("K. Nowak", "Person")
    initials = [("K Nowak", "Person", 5), ("Katarzyna Nowak", "Person", 1)]
    assert actor_naming("person:k-nowak", "K Nowak", "Person", initials) == ("Katarzyna Nowak", "Person")
    # An initial is no spelling of another first name.
    assert abbreviates("K Nowak", "Karol Nowak") and not abbreviates("Karol Nowak", "Katarzyna Nowak")

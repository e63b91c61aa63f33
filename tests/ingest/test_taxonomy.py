"""The taxonomy's rule fields: what the packaged categories say, defaults for a user's, one-line errors."""

import pytest

from newsgraph.errors import ConfigError
from newsgraph.ingest.taxonomy import Category, load_taxonomy


def _taxonomy(tmp_path, body):
    path = tmp_path / "my_taxonomy.yaml"
    path.write_text("categories:\n" + body, encoding="utf-8")
    return str(path)


def test_the_packaged_categories_carry_their_rules():
    kinds = load_taxonomy()
    assert kinds["die"].subject_is_patient and kinds["die"].once_per_patient and kinds["die"].always_past
    assert (kinds["die"].needs_patient, kinds["meet"].needs_patient) == ("always", "always")
    assert kinds["write_to"].needs_patient == "unless_addressed"
    assert kinds["demand"].modality == "demanded"
    assert kinds["legal_action"].finding_as == "criticise"
    assert kinds["legal_action"].implied_agent_roles == ("judge",)
    assert kinds["legal_action"].implied_agent_classes == ("court",)
    assert [name for name, kind in kinds.items() if kind.from_saying] == ["demand", "criticise", "respond"]
    assert [name for name, kind in kinds.items() if not kind.absorbs_sayings] == ["statement", "die", "legal_action"]


def test_a_category_that_sets_no_rules_gets_no_special_treatment(tmp_path):
    kinds = load_taxonomy(_taxonomy(tmp_path, "  fine:\n    label: Fine\n"))
    assert kinds["fine"] == Category("fine", "Fine", "", "", "")
    assert kinds["fine"].needs_patient == "never" and kinds["fine"].absorbs_sayings


def test_a_users_taxonomy_sets_rules(tmp_path):
    body = (
        "  fine:\n    needs_patient: always\n    implied_agent_classes: [regulator]\n    finding_as: accuse\n"
        "  accuse:\n    from_saying: true\n    modality: null\n"
    )
    kinds = load_taxonomy(_taxonomy(tmp_path, body))
    assert kinds["fine"].needs_patient == "always"
    assert kinds["fine"].implied_agent_classes == ("regulator",)
    assert kinds["fine"].finding_as == "accuse"
    assert kinds["accuse"].from_saying and kinds["accuse"].modality is None


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("quoted", "maybe", "must be true or false, not 'maybe'"),
        ("needs_patient", "sometimes", "must be one of never, always, for_nouns, unless_addressed, not 'sometimes'"),
        ("modality", "hoped", "must be one of asserted, planned, demanded, negated, reported, not 'hoped'"),
        ("implied_agent_roles", "judge", "must be a list of names, not 'judge'"),
        ("finding_as", "accuse", "must be a category of the taxonomy, not 'accuse'"),
        ("finding_as", "[fine]", "must be a category of the taxonomy, not ['fine']"),
    ],
)
def test_a_bad_rule_value_is_a_one_line_error_naming_the_file_and_field(tmp_path, field, value, says):
    path = _taxonomy(tmp_path, f"  fine:\n    label: Fine\n    {field}: {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    assert str(caught.value) == f"{path}: category 'fine': {field} {says}"

"""README's two set-up commands stay true: .ci/run runs the test command exactly as written."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_has_demo_and_test_commands_first():
    demo, tests = _commands()
    assert demo.endswith("newsgraph demo") and "pip install -e ." in demo
    assert "pytest" in tests and ".[test]" in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()

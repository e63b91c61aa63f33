"""Progress on a terminal, as a user sees it: the CLI in a subprocess whose stderr is a pseudo-terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_cli import _newsgraph

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(*args: str, store) -> tuple[int, str]:
    """Run newsgraph with stderr on a pseudo-terminal; its exit code and what the terminal received."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "NEWSGRAPH_STORE": f"embedded:{store}", "COLUMNS": "200"}
    env.pop("NEWSGRAPH_PROGRESS", None)
    proc = subprocess.Popen([_newsgraph(), *args], stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return proc.wait(timeout=300), received.decode("utf-8", "replace")


def screen_lines(received: str) -> list[str]:
    """What each line holds when something is printed over it: the text after its last carriage
    return or line clear, colours removed."""
    lines = []
    for line in received.replace("\r\n", "\n").split("\n"):
        last = re.split(r"\r|\x1b\[2K", line)[-1]
        lines.append(ANSI.sub("", last))
    return lines


def test_progress_says_what_it_is_starting_counts_to_the_total_and_prints_merges_above(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "date: 2024-01-02\n\nSenior coroner Heidi Connor said Elm Primary School had been warned about its roof.\n"
    )
    (folder / "b.txt").write_text(
        "date: 2024-01-03\n\nSenior coroner Heidi Conner said Elm Primary School had ignored the warnings.\n"
    )
    for i in range(3):
        (folder / f"c{i}.txt").write_text(f"date: 2024-01-1{i}\n\nThe Harbour Trust appointed Ann Lee, number {i}.\n")
    (folder / "d.txt").write_text("date: 2024-01-08 (estimated)\n\nThe Harbour Trust appointed Bo Park as chair.\n")
    code, received = on_a_terminal("ingest", str(folder), store=tmp_path / "g.lbug")
    assert code == 0, received
    text = ANSI.sub("", received)
    # Not "extracting 0 articles" while the pipeline loads, and a total from the start of counting.
    assert "loading the spaCy pipeline" in text and "extracting 0" not in text
    assert "/6 articles" in text and "6/6 articles" in text
    assert re.search(r"\b[2-6]/6 articles, (\d+\.\d/s|\d+ s/article)", text)  # and a rate, once two are done
    # Lines said meanwhile are whole lines, not written into the spinner's line.
    lines = screen_lines(received)
    merged = [line for line in lines if "merged 'Heidi Conner' into Heidi Connor" in line]
    noted = [line for line in lines if "header date '2024-01-08 (estimated)'" in line]
    assert merged and all(line.startswith("newsgraph: merged ") for line in merged), merged
    assert noted and all(line.startswith("newsgraph: note: ") for line in noted), noted
    assert any(line.startswith("newsgraph: 6 added;") for line in lines)


DATA = Path(__file__).resolve().parents[1] / "data"


def test_evaluate_counts_its_fits_to_the_total_with_each_step_above(tmp_path):
    # 3 folds and the in-sample fit: 4 fits (a bar shows for more than 3); the steps print as whole
    # lines above it.
    code, received = on_a_terminal(
        "evaluate", str(DATA / "gold"), str(DATA / "articles"), "--folds", "3", store=tmp_path / "g.lbug"
    )
    assert code == 0, received
    text = ANSI.sub("", received)
    assert "parsing the articles, then the first fold" in text
    assert "1/4 fits" in text and "4/4 fits" in text and "5/4" not in text
    lines = screen_lines(received)
    assert any(line.startswith("newsgraph: fold 3/3: fit on ") for line in lines)
    assert any(line.startswith("newsgraph: in-sample: fit on all ") for line in lines)


def test_evaluate_of_the_rules_alone_counts_folds(tmp_path):
    code, received = on_a_terminal(
        "evaluate", str(DATA / "gold"), str(DATA / "articles"), "--folds", "4", "--rules", store=tmp_path / "g.lbug"
    )
    assert code == 0, received
    assert "4/4 folds" in ANSI.sub("", received)


def test_items_slower_than_one_a_second_show_seconds_each():
    from newsgraph.commands.output import Progress

    fits = Progress("cross-validating", 16, unit="fit")
    for _ in range(3):
        fits.advance()
    fits._first = time.monotonic() - 50.0  # the two fits since the first took 50 s
    assert fits._count() == "3/16 fits, 25 s/fit"

"""The README's commands are the ones CI runs, and the benchmark harness produces its report."""

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def _block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def test_run_command_is_the_documented_one():
    assert _block_after("## Run it") == "pip install -r requirements.txt && streamlit run app.py"


def test_ci_runs_exactly_the_readme_test_command():
    command = _block_after("## Test it")
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert command.replace("pip install -r", "pip install -q -r") in ci_lines


def test_torch_is_pinned_exactly():
    assert "torch==2.13.0" in (ROOT / "requirements.txt").read_text().splitlines()

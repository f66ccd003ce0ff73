"""The README's example and commands stay true."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_python_example_prints_what_the_readme_says():
    code = re.search(r"```python\n(.*?)```", README, flags=re.DOTALL).group(1)
    expected = re.search(r"# (.+)$", code.strip().splitlines()[-1]).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue().strip() == expected


def test_exactly_two_setup_commands():
    for marker in ("app-command", "test-command"):
        block = re.search(rf"<!-- {marker} -->\n```\n(.*?)\n```\n<!-- /{marker} -->", README, flags=re.DOTALL)
        assert block is not None
        assert len(block.group(1).splitlines()) == 1
    assert "streamlit run app.py" in README.split("<!-- app-command -->")[1].split("<!-- /app-command -->")[0]

"""Boundaries between the parts of the code.

- `analysis/` computes and never draws: importing any of its modules must not load
  Streamlit (the command line, the sandbox's child and the benchmarks run without it).
  A fresh interpreter imports every module in turn and names the first one after which
  `streamlit` is in sys.modules (later modules cannot be judged once it is loaded).
- The UI's wording lives in `ui/strings/` (its package docstring says how): no page,
  no other `ui` module and not `dashboard.py` holds a Vietnamese literal of its own.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import importlib, json, pkgutil, sys
import analysis

names = sorted(m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")
               if not m.name.endswith("__main__"))  # __main__ runs the command line
culprit = None
for name in names:
    importlib.import_module(name)
    if "streamlit" in sys.modules:
        culprit = name
        break
print(json.dumps({"modules": names, "culprit": culprit}))
"""


def test_no_analysis_module_loads_streamlit():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["modules"]) > 50  # the walk found the package (not an empty path)
    assert "analysis.commands.metrics" in report["modules"]
    assert report["culprit"] is None, f"importing {report['culprit']} loads streamlit"


VIETNAMESE = re.compile(r"[À-ỹĐđ]")  # a letter with a Vietnamese diacritic
UI_FILES = sorted([ROOT / "dashboard.py", *(ROOT / "app_pages").glob("*.py"),
                   *(p for p in (ROOT / "ui").glob("*.py"))])


def vietnamese_literals(path: Path) -> list[str]:
    """"line: text" of each string constant with Vietnamese letters in `path`, docstrings
    aside (f-string parts count: they are constants of the tree)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [f"{node.lineno}: {node.value[:60]}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and VIETNAMESE.search(node.value)]


def test_the_literal_finder_sees_fstrings_and_skips_docstrings(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text('"""Trang tổng quan."""\nst.title(f"Kỳ {k}")\nx = "ok"\n',
                      encoding="utf-8")
    assert vietnamese_literals(sample) == ["2: Kỳ "]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ui_wording_lives_in_ui_strings(path):
    found = vietnamese_literals(path)
    assert not found, (f"{path.relative_to(ROOT)} holds wording of its own; move it to "
                       f"ui/strings/: {found}")

"""`analysis/` computes and never draws: importing any of its modules must not load
Streamlit (the command line, the sandbox's child and the benchmarks run without it).

A fresh interpreter imports every module in turn and names the first one after which
`streamlit` is in sys.modules (later modules cannot be judged once it is loaded).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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

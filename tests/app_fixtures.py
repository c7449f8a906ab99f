"""Helpers of the dashboard page tests: the entry script, AppTest's timeout and a
private copy of the sample database (the fixtures themselves are in conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
TIMEOUT = 120  # AppTest default_timeout: the first run of a session imports nothing, but
# a cold cache on a slow CI machine still needs headroom


def copy_sample_database(sample_db_url: str, target_dir: Path) -> str:
    """A private copy (database file and archive) of the sample database; its URL."""
    source = Path(sample_db_url.removeprefix("sqlite:///")).parent
    shutil.copytree(source, target_dir, dirs_exist_ok=True)
    return f"sqlite:///{target_dir / 'ctxh.sqlite'}"

"""The [postgresql] cases skip with a reason when no server is available, and fail
instead when CI is set (conftest.py): a CI run cannot pass without PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _run_without_postgresql(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "CTXH_TEST_POSTGRES_URL")}
    env.update({"CTXH_TEST_POSTGRES": "off", **extra_env})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         str(TESTS / "test_store_catalogue.py"), "-k", "empty_catalogue"],
        cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=300)


def test_without_a_server_the_postgresql_cases_skip_with_the_reason():
    result = _run_without_postgresql({})
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 passed, 1 skipped" in result.stdout
    assert "PostgreSQL not available: CTXH_TEST_POSTGRES=off" in result.stdout


def test_with_ci_set_a_missing_server_fails_the_run():
    result = _run_without_postgresql({"CI": "1"})
    assert result.returncode != 0
    assert "PostgreSQL is required when CI is set" in result.stdout
    assert "1 passed" in result.stdout and "skipped" not in result.stdout.splitlines()[-1]

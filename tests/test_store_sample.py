"""Bundled sample data: imported once into an empty store, excluded from the figures
once real data exists, kept in the history (SPEC §8 demo mode)."""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

import pytest

from analysis.store.sample import DEFAULT_SAMPLE_DIR, ensure_sample_data
from store_helpers import new_store, task, workbook


@pytest.fixture
def sample_dir(tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "tv-09.xlsx").write_bytes(workbook([task("S1", due="2026-09-20", assigned="2026-09-01"), task("S2", assigned="2026-09-01", due="2026-09-25")]))
    (folder / "hc-10.xlsx").write_bytes(workbook([task("S1", lead_dept="Phòng Hành chính", due="2026-10-20")]))
    (folder / "manifest.json").write_text(json.dumps([
        {"file": "tv-09.xlsx", "scope": "Phòng Tư vấn", "month": "2026-09"},
        {"file": "hc-10.xlsx", "scope": "center", "month": "2026-10"},
    ], ensure_ascii=False), encoding="utf-8")
    return folder


def test_sample_is_imported_once_into_an_empty_store(store, sample_dir):
    assert store.is_empty()
    assert ensure_sample_data(store, sample_dir) is True
    history = store.history()
    assert [(h["scope"], h["month"], h["is_sample"], h["user"]) for h in history] == [
        ("center", "2026-10", True, "Dữ liệu mẫu"), ("Phòng Tư vấn", "2026-09", True, "Dữ liệu mẫu")]
    assert not store.has_real_data()
    assert sorted(store.consolidated_tasks()["task_id"]) == ["S1", "S2"]
    assert ensure_sample_data(store, sample_dir) is False  # never twice
    assert len(store.history()) == 2


def test_real_upload_hides_the_sample_from_figures_but_not_from_history(store, sample_dir):
    ensure_sample_data(store, sample_dir)
    assert not store.task_changes().empty  # sample S1: reassignment and extension
    store.import_upload("Phòng Tư vấn", "2026-11", "real.xlsx", workbook([task("R1")]), "Trưởng phòng")
    assert store.has_real_data()
    assert list(store.consolidated_tasks()["task_id"]) == ["R1"]
    assert store.task_changes().empty
    assert sum(h["is_sample"] for h in store.history()) == 2 and len(store.history()) == 3


def test_no_sample_once_a_real_upload_exists(store, sample_dir):
    store.import_upload("Phòng Tư vấn", "2026-11", "real.xlsx", workbook([task("R1")]), "A")
    assert ensure_sample_data(store, sample_dir) is False
    assert len(store.history()) == 1


def test_missing_manifest_does_nothing(store, tmp_path):
    assert ensure_sample_data(store, tmp_path / "nowhere") is False
    assert store.is_empty()


def _seed(url: str, tmp: str, sample: str, barrier, results) -> None:
    store = new_store(url, Path(tmp))
    barrier.wait(timeout=60)
    results.put(ensure_sample_data(store, Path(sample)))
    store.close()


def test_two_sessions_starting_at_once_import_the_sample_once(db_url, tmp_path, sample_dir):
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_seed, args=(db_url, str(tmp_path), str(sample_dir), barrier,
                                               results))
               for _ in range(2)]
    for w in workers:
        w.start()
    done = sorted(results.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    assert done == [False, True]
    store = new_store(db_url, tmp_path)
    assert len(store.history()) == 2
    store.close()


def test_the_bundled_sample_imports_cleanly(store):
    manifest = json.loads((DEFAULT_SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert ensure_sample_data(store) is True
    assert len(store.history()) == len(manifest)  # no sample file skipped as invalid
    assert len(store.consolidated_tasks()) > 0

"""The archive of originals: content-addressed, immutable, verified (SPEC §4.1, §4.4)."""

from __future__ import annotations

import hashlib
import os

import pytest

from analysis.store.archive import Archive, ArchiveError


def test_put_and_get_by_sha256(tmp_path):
    archive = Archive(tmp_path / "archive")
    data = "Bảng theo dõi".encode() * 100
    digest, created = archive.put(data)
    assert digest == hashlib.sha256(data).hexdigest() and created
    path = archive.path_for(digest)
    assert path == tmp_path / "archive" / digest[:2] / digest
    assert archive.get(digest) == data
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # read-only file
    assert oct(path.stat().st_mode & 0o777) == "0o444"
    assert [p.name for p in path.parent.iterdir()] == [digest]  # no temp file left


def test_same_bytes_are_stored_once_and_never_overwritten(tmp_path):
    archive = Archive(tmp_path)
    digest, _ = archive.put(b"original")
    mtime = archive.path_for(digest).stat().st_mtime_ns
    again, created = archive.put(b"original")
    assert again == digest and not created
    assert archive.path_for(digest).stat().st_mtime_ns == mtime
    assert archive.all_hashes() == {digest}


def test_tampered_or_missing_file_is_detected(tmp_path):
    archive = Archive(tmp_path)
    digest, _ = archive.put(b"original")
    path = archive.path_for(digest)
    os.chmod(path, 0o644)
    path.write_bytes(b"changed")
    with pytest.raises(ArchiveError):
        archive.get(digest)
    with pytest.raises(ArchiveError):
        archive.get("0" * 64)


def test_orphans_are_files_nothing_refers_to(tmp_path):
    archive = Archive(tmp_path)
    kept, _ = archive.put(b"kept")
    lost, _ = archive.put(b"lost")
    assert archive.orphans({kept}) == {lost}


def test_bad_hash_is_refused(tmp_path):
    with pytest.raises(ValueError):
        Archive(tmp_path).path_for("../../etc/passwd")

"""A throw-away PostgreSQL cluster for the tests and the load benchmark (stdlib only).

    python tests/pg_cluster.py start DIR   # prints the server URL (postgresql+psycopg://…)
    python tests/pg_cluster.py stop DIR    # stops it and deletes DIR

`.ci/run` uses the two commands (stop in a shell trap); `tests/conftest.py` calls
`start()`/`stop()` itself when no server URL is given and `pg_ctl` is installed.

The cluster lives in DIR (created, owned by the `postgres` user when we are root:
the server refuses to run as root), listens on 127.0.0.1 on a free port and on a
socket in DIR, and accepts only a random password (scram-sha-256): the machine is
shared. Durability is off (fsync, synchronous_commit, full_page_writes): the data
is thrown away at the end, and the tests check transactions, not disks.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SERVICE_USER = "postgres"
URL_FILE = "url.txt"


def pg_bin_dir() -> Path | None:
    """The folder of `pg_ctl` (Debian: /usr/lib/postgresql/<major>/bin), or None."""
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_service_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", SERVICE_USER, "--", *argv]


def _run(argv: list[str]) -> None:
    result = subprocess.run(_as_service_user(argv), capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed ({result.returncode}): "
                           f"{(result.stderr or result.stdout).strip()[-800:]}")


def start(folder: Path) -> str:
    """Create and start a cluster in `folder`; returns its URL (database `postgres`).

    Run as root, the `postgres` user must be able to reach `folder` (e.g. a new
    folder directly under /tmp, not inside a private 0700 one)."""
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise RuntimeError("pg_ctl not found (apt-get install postgresql)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    if os.geteuid() == 0:
        shutil.chown(folder, SERVICE_USER, SERVICE_USER)
    password = secrets.token_urlsafe(24)
    password_file = folder / "password"
    password_file.write_text(password + "\n")
    os.chmod(password_file, 0o600)
    if os.geteuid() == 0:
        shutil.chown(password_file, SERVICE_USER, SERVICE_USER)
    data = folder / "data"
    user = SERVICE_USER if os.geteuid() == 0 else (os.environ.get("USER") or "postgres")
    _run([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--pwfile", str(password_file),
          "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"])
    password_file.unlink()
    port = free_port()
    options = (f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
               "-c max_connections=200 -c shared_buffers=128MB")
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
          "-o", options, "-w", "-t", "60", "start"])
    url = f"postgresql+psycopg://{user}:{password}@127.0.0.1:{port}/postgres"
    (folder / URL_FILE).write_text(url + "\n")
    os.chmod(folder / URL_FILE, 0o600)
    return url


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` (if running) and delete the folder."""
    folder = Path(folder)
    bin_dir = pg_bin_dir()
    data = folder / "data"
    if bin_dir is not None and (data / "postmaster.pid").exists():
        try:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        except RuntimeError as exc:  # already gone: nothing to stop
            print(exc, file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "start":
        print(start(Path(argv[1])))
    else:
        stop(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

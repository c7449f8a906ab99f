"""Sign-in costs (SPEC §8): what a page run pays for the session check, and that a wrong
name and a wrong password take the same time (the dummy-hash verification).

    python benchmarks/bench_sign_in.py [ROUNDS]

Prints a table (median and spread of ROUNDS runs, default 15) with the real Argon2id
parameters (argon2-cffi defaults); the wait after a failure (`FAILURE_DELAY_SECONDS`) is
switched off here so only the work is timed. Asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.accounts import Accounts  # noqa: E402
from analysis.store import open_store  # noqa: E402

PASSWORD = "mot-mat-khau-do-dai-vua"


def timed(work, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times) - min(times)


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.sqlite")
        store.set_settings({"login_max_failures": 100}, "bench")  # no lock during the runs
        accounts = Accounts(store, sleep=lambda seconds: None)
        accounts.add("Giám đốc", "director", PASSWORD)
        accounts._dummy_hash()  # made once per server process; not part of an attempt
        token = accounts.sign_in("Giám đốc", PASSWORD).token

        def wrong_password():
            accounts.sign_in("Giám đốc", "khong-dung-mat-khau")

        def wrong_name():
            accounts.sign_in("Không có ai", "khong-dung-mat-khau")

        rows = [
            ("sign-in, right password", lambda: accounts.sign_in("Giám đốc", PASSWORD)),
            ("sign-in, wrong password", wrong_password),
            ("sign-in, unknown name", wrong_name),
            ("session check (each page run)", lambda: accounts.session(token)),
        ]
        print(f"{'what':38} {'median ms':>10} {'spread ms':>10}")
        for label, work in rows:
            median, spread = timed(work, rounds)
            print(f"{label:38} {median * 1000:10.1f} {spread * 1000:10.1f}")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)

"""How much of a cold ``ledger validate`` the cyclic garbage collector takes, with ``loader.bulk_read``
as it is and with collection simply paused during the read (the lever before it filed the read's
objects with the oldest).

    python bench/collector.py [--copies 100] [--runs 3]

It generates a ledger ``--copies`` times the real one (bench/generate.py), then runs ``ledger validate`` on it
in fresh processes, alternating the two ways, and prints the CPU seconds of each run and the seconds spent in
collections (``gc.callbacks``). Run it from the repository root with the package installed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

RUN = """
import contextlib, gc, os, sys, time
from pathlib import Path
os.environ["LEDGER_NO_CACHE"] = "1"
from policy_ledger import loader, validation
way = sys.argv[2]
if way == "paused":
    @contextlib.contextmanager
    def paused():
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if enabled:
                gc.enable()
    loader.bulk_read = validation.bulk_read = paused
spent, started = [0.0, 0], [0.0]
def note(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        spent[0] += time.perf_counter() - started[0]
        spent[1] += 1
gc.callbacks.append(note)
from policy_ledger.cli import main
cpu = time.process_time()
sys.argv = ["ledger", "validate", "--data", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
cpu = time.process_time() - cpu
print(f"{way:<8} cpu {cpu:5.2f} s   collections {spent[1]:3d}, {spent[0]:.3f} s", file=sys.stderr)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ledger-collector-") as folder:
        data = Path(folder) / "data"
        generate(args.copies, data)
        for _ in range(args.runs):
            for way in ("as-is", "paused"):
                command = [sys.executable, "-c", RUN, str(data), way]
                subprocess.run(command, stdout=subprocess.DEVNULL, check=True)


if __name__ == "__main__":
    main()

"""Wall time of everyday commands next to the interpreter's own start-up.

Run from the repository root after installing the package:

    python bench/startup.py [--runs 15]

It prints one row per command: median and best wall time over the runs, and the ratio to
``python -c pass`` (the floor no Python command can go under).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ledger_command() -> list[str]:
    """The installed ``ledger`` script when there is one, else ``python -m policy_ledger``."""
    script = shutil.which("ledger")
    return [script] if script else [sys.executable, "-m", "policy_ledger"]


def time_command(argv: list[str], runs: int) -> list[float]:
    # as installed for a user: bytecode is kept (a shell with PYTHONDONTWRITEBYTECODE recompiles each run)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1"}
    subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)  # warm the disk cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    args = parser.parse_args()
    ledger = ledger_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "ledger --help": [*ledger, "--help"],
        "ledger show 17": [*ledger, "show", "17"],
        "ledger validate": [*ledger, "validate"],
        "ledger list": [*ledger, "list"],
        "ledger query": [*ledger, "query", "targets", "lead:经信", "unit:亿元"],
        "ledger budgets": [*ledger, "budgets"],
        "ledger export": [*ledger, "export"],
    }
    results = {name: time_command(argv, args.runs) for name, argv in commands.items()}
    floor = statistics.median(results["python -c pass"])
    print(f"{'command':<18} {'median ms':>10} {'best ms':>8} {'× python':>9}   ({args.runs} runs)")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"{name:<18} {median * 1000:>10.0f} {min(samples) * 1000:>8.0f} {median / floor:>9.1f}")


if __name__ == "__main__":
    main()

"""Every speed figure of the ledger in one table: commands against the framework's floor, a ledger 1, 10
and 100 times the real one, peak memory, and how cost grows with size.

    python bench/speed.py [--runs 7] [--sizes 1,10,100] [--vary]

Run it from the repository root with the package installed (``pip install -e '.[test]'``). It generates
the larger ledgers into a temporary folder (bench/generate.py), times each command as a fresh process
(median and best wall time over the runs, after one warm-up run), and reads each process's peak memory
from the kernel. "cold" runs with ``LEDGER_NO_CACHE=1``; "warm" lets the cache of validated data answer.
check-jsonschema is the reference for validate: it checks the same three files against the exported
JSON Schema, which covers far less than ``ledger validate``. ``--vary`` makes each larger ledger of
*different* documents of the family (``generate.py --vary``), not copies of one, and also times
``ledger compare`` of two of them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate, init_git  # noqa: E402

DOCUMENT = "lezhengfa-2023-6"


@dataclass
class Figure:
    median: float
    best: float
    peak_mb: float


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit code of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def measure(
    argv: list[str], runs: int, env: dict[str, str], cwd: Path, vary: list[list[str]] | None = None
) -> Figure:
    """Median over ``runs``; ``vary`` gives each run its own arguments (a new progress date each time)."""
    run(argv + (vary[0] if vary else []), env, cwd)  # warm the disk cache (and the ledger's cache)
    times, peaks = [], []
    for index in range(runs):
        extra = vary[index + 1] if vary else []
        elapsed, peak, code = run(argv + extra, env, cwd)
        if code != 0:  # a figure of a run that failed, or found errors in the data, measures the wrong work
            raise SystemExit(f"{' '.join(argv + extra)} exited {code}")
        times.append(elapsed)
        peaks.append(peak)
    return Figure(statistics.median(times), min(times), max(peaks))


def schema_check(checker: str | None, data: Path, runs: int, env: dict[str, str]) -> Figure | None:
    """check-jsonschema on the three files against their exported schemas (one run per file)."""
    if not checker or not (ROOT / "schema").is_dir():
        return None
    total = 0.0
    for name in ("policies", "targets", "budgets"):
        schema = ROOT / "schema" / f"{name}.schema.json"
        total += measure(
            [checker, f"--schemafile={schema}", str(data / f"{name}.yaml")], runs, env, ROOT
        ).median
    return Figure(total, 0, 0)


def ledger() -> list[str]:
    script = shutil.which("ledger", path=str(Path(sys.executable).parent)) or shutil.which("ledger")
    return [script] if script else [sys.executable, "-m", "policy_ledger"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1,10,100", help="ledger sizes, as multiples of the real one")
    parser.add_argument("--vary", action="store_true", help="larger ledgers of varied documents")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # measured as installed for a user: Python keeps compiled bytecode (some shells switch that off,
    # which would charge every run for compiling the package from source)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1"}
    work = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    cold = {**base_env, "LEDGER_NO_CACHE": "1"}
    warm = {**base_env, "LEDGER_CACHE_DIR": str(work / "cache")}
    rows: list[tuple[str, str, Figure, str]] = []

    floor = measure([sys.executable, str(ROOT / "bench" / "minimal_typer_app.py")], args.runs, base_env, ROOT)
    python = measure([sys.executable, "-c", "pass"], args.runs, base_env, ROOT)
    rows.append(("python -c pass", "-", python, ""))
    rows.append(("minimal Typer app (floor)", "-", floor, "1.00× floor"))
    real = ROOT / "data"
    show = measure([*ledger(), "show", "17", "--data", str(real)], args.runs, warm, ROOT)
    rows.append(("ledger show 17", "1×", show, f"{show.median / floor.median:.2f}× floor"))
    added, framework = show.median - floor.median, floor.median - python.median
    rows.append(
        ("  show 17 minus floor", "1×", Figure(added, 0, 0), f"{added / framework:.2f}× framework cost")
    )

    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
        "check-jsonschema"
    )
    validate_times: dict[int, float] = {}
    for size in sizes:
        if size == 1:
            data = real
        else:
            data = work / f"x{size}" / "data"
            generate(size, data, vary=args.vary)
            init_git(data)
        doc = [] if size == 1 else ["--doc", f"{DOCUMENT}-c001"]
        validate_cold = measure([*ledger(), "validate", "--data", str(data)], args.runs, cold, ROOT)
        validate_times[size] = validate_cold.median
        reference = schema_check(checker, data, max(3, args.runs // 2), base_env)
        note = f"{validate_cold.median / reference.median:.2f}× check-jsonschema" if reference else ""
        rows.append(("ledger validate (cold)", f"{size}×", validate_cold, note))
        if reference:
            rows.append(("check-jsonschema, 3 files", f"{size}×", reference, ""))
        shown = measure([*ledger(), "show", "17", *doc, "--data", str(data)], args.runs, warm, ROOT)
        rows.append(("ledger show 17 (warm)", f"{size}×", shown, ""))
        dates = [["--as-of", f"2023-0{1 + (i // 28) % 9}-{1 + i % 28:02d}"] for i in range(args.runs + 1)]
        add = [*ledger(), "progress", "add", "17.1", "--value", "1", *doc, "--data", str(data)]
        if size == 1:
            data_copy = work / "x1" / "data"
            shutil.copytree(real, data_copy)
            init_git(data_copy)
            add = [*ledger(), "progress", "add", "17.1", "--value", "1", "--data", str(data_copy)]
        progress = measure(add, args.runs, warm, ROOT, vary=dates)
        rows.append(("ledger progress add + commit", f"{size}×", progress, ""))
        if size > 1:
            pair = [f"{DOCUMENT}-c001", f"{DOCUMENT}-c{size:03d}"]
            compared = measure([*ledger(), "compare", *pair, "--data", str(data)], args.runs, warm, ROOT)
            rows.append(("ledger compare (warm)", f"{size}×", compared, "varied" if args.vary else "copies"))

    print(f"{'command':<32} {'size':>5} {'median ms':>10} {'best ms':>8} {'peak MB':>8}   note")
    for name, size, figure, note in rows:
        best = f"{figure.best * 1000:8.0f}" if figure.best else f"{'':>8}"
        peak = f"{figure.peak_mb:8.0f}" if figure.peak_mb else f"{'':>8}"
        print(f"{name:<32} {size:>5} {figure.median * 1000:10.0f} {best} {peak}   {note}")
    if len(validate_times) > 1:
        ordered = sorted(validate_times)
        for smaller, larger in itertools.pairwise(ordered):
            growth = validate_times[larger] / validate_times[smaller]
            label = f"validate (cold) {larger}× / {smaller}×"
            print(f"{label}: {growth:.1f}× the time for {larger // smaller}× the data")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

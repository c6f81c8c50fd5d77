"""Generate a ledger N times the size of the real one, for measuring how the ledger scales.

    python bench/generate.py --copies 100 /tmp/ledger-100x

Each copy is the real document under its own id (lezhengfa-2023-6-c001, …) with its own copy of the
source text, so the data keeps the real shape, units, quotes, budgets and instruments and validates
clean: 100 copies hold 5,700 measures, 15,500 targets, 800 budgets and 9,500 instruments.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data"
DOCUMENT = "lezhengfa-2023-6"
SOURCE = f"source/{DOCUMENT}.txt"


def sections(text: str, keys: list[str]) -> tuple[str, dict[str, str]]:
    """The file's header (comments) and the body of each top-level list, by key."""
    starts = {key: text.index(f"\n{key}:\n") + 1 for key in keys}
    order = sorted(keys, key=starts.__getitem__)
    header = text[: starts[order[0]]]
    bodies = {}
    for index, key in enumerate(order):
        begin = starts[key] + len(key) + 2
        end = starts[order[index + 1]] if index + 1 < len(order) else len(text)
        bodies[key] = text[begin:end].rstrip("\n") + "\n"
    return header, bodies


def relabel(body: str, copy: int) -> str:
    new_id = f"{DOCUMENT}-c{copy:03d}"
    body = re.sub(rf"(document|id): {re.escape(DOCUMENT)}\n", rf"\1: {new_id}\n", body)
    return body.replace(f"source: {SOURCE}\n", f"source: source/{new_id}.txt\n")


def generate(copies: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "source").mkdir(exist_ok=True)
    for name, keys in (
        ("policies.yaml", ["documents", "areas", "measures"]),
        ("targets.yaml", ["targets"]),
        ("budgets.yaml", ["budgets"]),
        ("instruments.yaml", ["instruments"]),
    ):
        header, bodies = sections((REAL / name).read_text(encoding="utf-8"), keys)
        parts = [header]
        for key in keys:
            parts.append(f"{key}:\n")
            parts.extend(relabel(bodies[key], copy) for copy in range(1, copies + 1))
            parts.append("\n")
        (out / name).write_text("".join(parts).rstrip("\n") + "\n", encoding="utf-8")
    for copy in range(1, copies + 1):
        shutil.copyfile(REAL / SOURCE, out / "source" / f"{DOCUMENT}-c{copy:03d}.txt")


def init_git(folder: Path) -> None:
    """Make ``folder`` the data directory of a new repository, so progress can be committed."""
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Ledger Bench"],
        ["config", "user.email", "bench@ledger.invalid"],
        ["add", "-A"],
        ["commit", "-qm", "generated ledger"],
    ):
        subprocess.run(["git", *args], cwd=folder.parent, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (its data/ subfolder holds the ledger)")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--git", action="store_true", help="also make the folder a git repository")
    args = parser.parse_args()
    data = args.out / "data"
    generate(args.copies, data)
    if args.git:
        init_git(data)
    print(f"wrote {args.copies} copies of {DOCUMENT} to {data}")


if __name__ == "__main__":
    main()

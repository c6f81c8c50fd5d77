"""Generate a ledger N times the size of the real one, for measuring how the ledger scales.

    python bench/generate.py --copies 100 /tmp/ledger-100x
    python bench/generate.py --copies 100 --vary /tmp/ledger-100-varied

Each copy is the real document under its own id (lezhengfa-2023-6-c001, …) with its own copy of the
source text, so the data keeps the real shape, units, quotes, budgets and instruments and validates
clean: 100 copies hold 5,700 measures, 15,500 targets, 800 budgets and 9,500 instruments.

With ``--vary`` each copy is a *different* document of the same family, as every city and county issues
its own version: its own number (测试〔2023〕N号, a made-up series), some targets' values raised or
lowered, a target dropped and one added, an allocation (and its budget's total) changed and an area's
title reworded. Every change is made in the copy's source text and in its records alike (a quote is
replaced wherever it stands), so each varied copy still validates clean.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from collections.abc import Callable
from decimal import Decimal
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


FILES = (
    ("policies.yaml", ["documents", "areas", "measures"]),
    ("targets.yaml", ["targets"]),
    ("budgets.yaml", ["budgets"]),
    ("instruments.yaml", ["instruments"]),
)


def real_copy() -> tuple[dict[str, str], dict[str, str], str]:
    """The real ledger as texts: each file's header, each list's body (by key), and the source text."""
    headers, bodies = {}, {}
    for name, keys in FILES:
        headers[name], found = sections((REAL / name).read_text(encoding="utf-8"), keys)
        bodies.update(found)
    return headers, bodies, (REAL / SOURCE).read_text(encoding="utf-8")


def write_ledger(out: Path, headers: dict[str, str], copies: list[tuple[str, dict[str, str], str]]) -> None:
    """Write a data folder of ``copies`` (each: its document id, its lists' bodies, its source text)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "source").mkdir(exist_ok=True)
    for name, keys in FILES:
        parts = [headers[name]]
        for key in keys:
            parts.append(f"{key}:\n")
            parts.extend(bodies[key] for _, bodies, _ in copies)
            parts.append("\n")
        (out / name).write_text("".join(parts).rstrip("\n") + "\n", encoding="utf-8")
    for document_id, _, source in copies:
        (out / "source" / f"{document_id}.txt").write_text(source, encoding="utf-8")


def generate(copies: int, out: Path, *, vary: bool = False) -> None:
    headers, bodies, source = real_copy()
    made = []
    for copy in range(1, copies + 1):
        own = {key: relabel(body, copy) for key, body in bodies.items()}
        own_source = source
        if vary:
            own, own_source = varied(own, own_source, copy)
        made.append((f"{DOCUMENT}-c{copy:03d}", own, own_source))
    write_ledger(out, headers, made)


# --- varied copies ------------------------------------------------------------------------------------


def records(body: str) -> list[str]:
    """A list's body cut into its records, each with the comment lines just above it."""
    chunks: list[list[str]] = [[]]
    for line in body.splitlines(keepends=True):
        if line.startswith("  - "):
            current = chunks[-1]
            cut = len(current)
            while cut and (current[cut - 1].strip() == "" or current[cut - 1].lstrip().startswith("#")):
                cut -= 1
            chunks.append(current[cut:])
            del current[cut:]
        chunks[-1].append(line)
    return ["".join(chunk) for chunk in chunks if chunk]


def field(record: str, name: str) -> str | None:
    """A record's top-level field as written (quotes around an id removed)."""
    found = re.search(rf"^(?:  - |    ){name}: (.*)$", record, re.MULTILINE)
    return found.group(1).strip('"') if found else None


def set_field(record: str, name: str, value: str) -> str:
    return re.sub(rf"^((?:  - |    ){name}: ).*$", lambda m: m.group(1) + value, record, count=1, flags=re.M)


def replace_everywhere(bodies: dict[str, str], source: str, old: str, new: str) -> tuple[dict[str, str], str]:
    """``old`` → ``new`` in the source text and every record: a quote stays word for word in the source."""
    return {key: body.replace(old, new) for key, body in bodies.items()}, source.replace(old, new)


def _number_in(text: str, number: str) -> list[re.Match[str]]:
    return list(re.finditer(rf"(?<![0-9.]){re.escape(number)}(?![0-9.])", text))


def change_value(
    bodies: dict[str, str], source: str, target_id: str, new_value: str
) -> tuple[dict[str, str], str]:
    """Target ``target_id``'s value, in its record and in its quote wherever the quote stands. Refused
    (ValueError) when the quote states the number more than once, or the source holds the quote twice."""
    chunks = records(bodies["targets"])
    index = next(i for i, r in enumerate(chunks) if field(r, "id") == target_id)
    value, quote = field(chunks[index], "value"), field(chunks[index], "quote")
    if value is None or quote is None or len(_number_in(quote, value)) != 1 or source.count(quote) != 1:
        raise ValueError(f"{target_id}: its value cannot be changed alone")
    match = _number_in(quote, value)[0]
    new_quote = quote[: match.start()] + new_value + quote[match.end() :]
    chunks[index] = set_field(chunks[index], "value", new_value)
    bodies = {**bodies, "targets": "".join(chunks)}
    return replace_everywhere(bodies, source, quote, new_quote)


def drop_records(bodies: dict[str, str], key: str, keep: Callable[[str], bool]) -> dict[str, str]:
    return {**bodies, key: "".join(r for r in records(bodies[key]) if keep(r))}


def add_milestone(bodies: dict[str, str], measure: int, what: str) -> dict[str, str]:
    """A milestone under ``measure`` quoting its title, numbered after the measure's last target."""
    chunks = records(bodies["targets"])
    document = field(chunks[-1], "document")
    title = next(
        field(r, "title")
        for r in records(bodies["measures"])
        if field(r, "number") == str(measure) and field(r, "document") == document
    )
    taken = [field(r, "id") or "" for r in chunks if field(r, "measure") == str(measure)]
    number = 1 + max((int(t.split(".")[1]) for t in taken), default=0)
    assert title is not None
    commitment = "firm" if "确保" in title else "stretch" if "力争" in title or "争取" in title else "plain"
    record = (
        f'  - id: "{measure}.{number}"\n    document: {document}\n    measure: {measure}\n'
        f"    what: {what}\n    commitment: {commitment}\n    quote: {title}\n"
    )
    return {**bodies, "targets": bodies["targets"].rstrip("\n") + "\n" + record}


def change_allocation(
    bodies: dict[str, str], source: str, allocation_id: str, step: Decimal
) -> tuple[dict[str, str], str]:
    """An allocation's amount and its budget's total both moved by ``step``, in records and quotes."""
    budget_id = allocation_id.split(".")[0]
    chunk = next(r for r in records(bodies["budgets"]) if field(r, "id") == budget_id)
    total, quote = field(chunk, "total"), field(chunk, "quote")
    part = chunk[chunk.index(f"- id: {allocation_id}\n") :]
    amount = re.search(r"amount: (.*)", part)
    part_quote = re.search(r"quote: (.*)", part)
    assert total and quote and amount and part_quote
    new_total = str(Decimal(total) + step)
    new_amount = str(Decimal(amount.group(1)) + step)
    changed = chunk.replace(f"    total: {total}\n", f"    total: {new_total}\n", 1)
    new_part = part.replace(f"amount: {amount.group(1)}\n", f"amount: {new_amount}\n", 1)
    changed = changed.replace(part, new_part, 1)
    bodies = {**bodies, "budgets": bodies["budgets"].replace(chunk, changed, 1)}
    for old, number, new in ((quote, total, new_total), (part_quote.group(1), amount.group(1), new_amount)):
        found = _number_in(old, number)
        if len(found) != 1:
            raise ValueError(f"{allocation_id}: {number} is not in “{old}” once")
        bodies, source = replace_everywhere(
            bodies, source, old, old[: found[0].start()] + new + old[found[0].end() :]
        )
    return bodies, source


#: Targets whose value stands once in a quote of its own: a varied copy raises or lowers some of them.
VARIABLE_TARGETS = ("A1.1", "A1.2", "2.1", "A3.2", "A6.2", "A7.1", "17.1")


def varied(bodies: dict[str, str], source: str, copy: int) -> tuple[dict[str, str], str]:
    """Copy ``copy`` made a different document of the family (the module's docstring says how)."""
    bodies = dict(bodies)
    document = f"{DOCUMENT}-c{copy:03d}"
    number = f"number: 测试〔2023〕{copy}号"
    bodies["documents"] = bodies["documents"].replace("number: 乐政发〔2023〕6号", number)
    for k, target_id in enumerate(VARIABLE_TARGETS):
        if (copy + k) % 3 == 0:
            continue
        chunk = next(r for r in records(bodies["targets"]) if field(r, "id") == target_id)
        value = Decimal(field(chunk, "value") or "0")
        step = 1 + (copy + k) % 5
        new = value + step if (copy + k) % 3 == 1 else max(value - step, Decimal(1))
        try:
            bodies, source = change_value(bodies, source, target_id, str(new))
        except ValueError:
            continue
    dropped = VARIABLE_TARGETS[copy % len(VARIABLE_TARGETS)]
    if copy % 2:
        bodies = drop_records(bodies, "targets", lambda r: field(r, "id") != dropped)
    bodies = add_milestone(bodies, 1 + copy % 5, f"新增工作节点（第{copy}号）")
    bodies, source = change_allocation(bodies, source, "B1.7", Decimal(copy % 7 + 1) / 10)
    # one area's heading reworded: its title is the heading's words before （由…牵头实施）
    area = 1 + copy % 8
    chunk = next(r for r in records(bodies["areas"]) if field(r, "number") == str(area))
    title, heading = field(chunk, "title"), field(chunk, "heading")
    assert title and heading and source.count(heading) == 1
    new_title = title.removesuffix("政策") + "支持政策"
    bodies, source = replace_everywhere(bodies, source, heading, heading.replace(title, new_title, 1))
    chunk = next(r for r in records(bodies["areas"]) if field(r, "number") == str(area))
    bodies["areas"] = bodies["areas"].replace(chunk, set_field(chunk, "title", new_title), 1)
    assert document in bodies["documents"]
    return bodies, source


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
    parser.add_argument(
        "--vary", action="store_true", help="make each copy a different document of the family"
    )
    args = parser.parse_args()
    data = args.out / "data"
    generate(args.copies, data, vary=args.vary)
    if args.git:
        init_git(data)
    kind = "varied copies" if args.vary else "copies"
    print(f"wrote {args.copies} {kind} of {DOCUMENT} to {data}")


if __name__ == "__main__":
    main()

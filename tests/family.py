"""A second document of the real one's family, made for tests from the real data (no outside text).

``variant-2024`` (测试〔2024〕1号, a made-up number) is the real document with, in its source text and its
records alike:

- A1.1 raised (60 → 66个), A1.2 lowered (150 → 140亿元), 17.1 dropped, a milestone 3.3 added;
- allocation B1.7 1.3 → 1.5亿元, so budget B1 31.5 → 31.7亿元;
- area 2's title reworded: 科技创新政策 → 科技创新驱动政策 (aligned by similarity).

``whole=False`` goes further, as a hand edit would, so that the ledger no longer validates: A1.4's unit
亿元 → 万元, A6.3's comparator about → at_least, milestone A5.1 given a value, and area 8 missing with its
measures, targets, budgets and instruments.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from generate import (
    DOCUMENT,
    add_milestone,
    change_allocation,
    change_value,
    drop_records,
    field,
    real_copy,
    records,
    replace_everywhere,
    set_field,
    write_ledger,
)

VARIANT = "variant-2024"
VARIANT_NUMBER = "测试〔2024〕1号"
REWORDED = ("科技创新政策", "科技创新驱动政策")


def _edit_target(bodies: dict[str, str], target_id: str, edit: object) -> dict[str, str]:
    chunks = records(bodies["targets"])
    index = next(i for i, r in enumerate(chunks) if field(r, "id") == target_id)
    chunks[index] = edit(chunks[index])  # type: ignore[operator]
    return {**bodies, "targets": "".join(chunks)}


def variant(whole: bool = True) -> tuple[dict[str, str], dict[str, str], str]:
    """The file headers, the variant's lists' bodies and its source text."""
    headers, bodies, source = real_copy()
    bodies = {
        key: re.sub(rf"(document|id): {DOCUMENT}\n", rf"\1: {VARIANT}\n", body).replace(
            f"source: source/{DOCUMENT}.txt\n", f"source: source/{VARIANT}.txt\n"
        )
        for key, body in bodies.items()
    }
    bodies["documents"] = bodies["documents"].replace(
        "number: 乐政发〔2023〕6号", f"number: {VARIANT_NUMBER}"
    )
    bodies["documents"] = bodies["documents"].replace("date: 2023-04-03", "date: 2024-03-20")
    bodies, source = change_value(bodies, source, "A1.1", "66")
    bodies, source = change_value(bodies, source, "A1.2", "140")
    bodies = drop_records(bodies, "targets", lambda r: field(r, "id") != "17.1")
    bodies = add_milestone(bodies, 3, "新建项目审批服务专班")
    bodies, source = change_allocation(bodies, source, "B1.7", Decimal("0.2"))
    heading = "二、科技创新政策（由市科技局牵头实施）"
    bodies, source = replace_everywhere(bodies, source, heading, heading.replace(*REWORDED))
    bodies["areas"] = bodies["areas"].replace(f"title: {REWORDED[0]}\n", f"title: {REWORDED[1]}\n", 1)
    if not whole:
        bodies = _edit_target(bodies, "A1.4", lambda r: set_field(r, "unit", "万元"))
        bodies = _edit_target(bodies, "A6.3", lambda r: set_field(r, "comparator", "at_least"))
        bodies = _edit_target(
            bodies,
            "A5.1",
            lambda r: r.replace(
                "    commitment:", "    value: 1\n    unit: 个\n    comparator: exactly\n    commitment:"
            ),
        )
        area8 = {
            str(m)
            for m in range(1, 100)
            if any(
                field(r, "number") == str(m) and field(r, "area") == "8" for r in records(bodies["measures"])
            )
        }
        bodies = drop_records(bodies, "areas", lambda r: field(r, "number") != "8")
        bodies = drop_records(bodies, "measures", lambda r: field(r, "number") not in area8)
        bodies = drop_records(
            bodies, "targets", lambda r: field(r, "area") != "8" and field(r, "measure") not in area8
        )
        for key in ("budgets", "instruments"):
            bodies = drop_records(bodies, key, lambda r: field(r, "measure") not in area8)
    return headers, bodies, source


def family_ledger(data: Path, whole: bool = True) -> Path:
    """Write the real document and ``variant-2024`` into the data folder ``data``."""
    headers, real_bodies, real_source = real_copy()
    _, bodies, source = variant(whole)
    write_ledger(data, headers, [(DOCUMENT, real_bodies, real_source), (VARIANT, bodies, source)])
    return data

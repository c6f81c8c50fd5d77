"""Write the example reports in docs/ from the real data with a few progress entries recorded.

    python tools/examples.py           # rewrite docs/report-example.md, .zh.md and .html
    python tools/examples.py --check   # change nothing; exit 1 if any example is not what the code writes

The real data holds no progress yet, so a report of it alone would show no summary worth reading and an
empty 需关注. The examples record ``ENTRIES`` (dated in 2023, as a bureau would with ``ledger progress
add``) in a copy of the data, then write the report as of 2023-06-30: a target behind, one not reported
for more than a quarter, a milestone done and one due, a budget paid out in part. CI runs ``--check``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2023, 6, 30)
#: When the entries are recorded (a write refuses entries dated after its day): fixed, so the examples are
#: the same whenever they are written.
RECORDED = date(2023, 7, 5)
#: (record, day, value or None, milestone status or None, note, source)
ENTRIES = (
    ("17.1", "2023-05-31", "15", None, "1–5月累计", "人行乐清市支行金融运行月报"),
    ("A3.1", "2023-03-20", "2100", None, "一季度末在库企业", "市统计局"),
    ("5.2", "2023-05-30", None, "done", "已开工", "市发改局重点项目周报"),
    ("5.1", "2023-06-15", None, "in_progress", "管道联调中", "市发改局"),
    ("B1.1", "2023-06-20", "6.2", None, "上半年拨付", "市财政局国库支付系统"),
    ("B1.5", "2023-06-20", "3", None, None, "市财政局国库支付系统"),
)
#: What is written: file in docs/, language, format.
EXAMPLES = (
    ("report-example.md", "en", "markdown"),
    ("report-example.zh.md", "zh", "markdown"),
    ("report-example.html", "en", "html"),
)


def example_texts() -> dict[str, str]:
    """Each example's text, by its file name in docs/."""
    from policy_ledger import i18n
    from policy_ledger.loader import load_ledger
    from policy_ledger.progress import ProgressRequest, record_progress
    from policy_ledger.report import report_blocks, to_markdown
    from policy_ledger.report_html import to_html

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("_parts"))
        for record, day, value, status, note, source in ENTRIES:
            request = ProgressRequest(record, day, value=value, status=status, note=note, source=source)
            record_progress(data, request, commit=False, today=RECORDED)  # type: ignore[arg-type]
        ledger = load_ledger(data)[0]
        texts = {}
        before = i18n.language()
        try:
            for name, language, fmt in EXAMPLES:
                i18n.use(language)
                blocks = report_blocks(ledger, AS_OF)
                texts[name] = to_html(blocks) if fmt == "html" else to_markdown(blocks)
        finally:
            i18n.use(before)
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if an example is stale")
    args = parser.parse_args()
    stale = []
    for name, text in example_texts().items():
        path = ROOT / "docs" / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
    for name in stale:
        print(f"docs/{name} is stale: run python tools/examples.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

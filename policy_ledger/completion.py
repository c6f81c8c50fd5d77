"""Shell completion of what the ledger holds: record ids, measure numbers, lead bureaus and areas.

The shell runs ``ledger`` on every Tab with ``_LEDGER_COMPLETE`` set; each callback here reads the
ledger that ``--data`` (already typed), ``$LEDGER_DATA`` or the nearest ``data/`` names, through the
cache like ``ledger show``, and offers what starts with the typed text. Completion must never get in
the way: with no ledger found or anything failing, it offers nothing (no traceback on the prompt).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

#: A completion: the value, and a short help text that zsh and fish show beside it.
Candidate = tuple[str, str]


def _ledger(ctx: Any) -> Any:
    from .loader import find_data_dir, load_ledger

    data = ctx.params.get("data") if ctx is not None else None
    ledger, _ = load_ledger(find_data_dir(Path(data) if data else None))
    return ledger


def _matching(candidates: Iterable[Candidate], incomplete: str) -> list[Candidate]:
    """Those that start with the typed text, each once (a bureau leads several areas)."""
    return [c for c in dict.fromkeys(candidates) if c[0].startswith(incomplete)]


def _quietly(offer: Callable[[Any], Iterable[Candidate]]) -> Callable[[Any, str], list[Candidate]]:
    """A callback that offers nothing rather than fail: completion runs on every Tab."""

    def complete(ctx: Any, incomplete: str) -> list[Candidate]:
        try:
            return _matching(offer(_ledger(ctx)), incomplete or "")
        except Exception:  # no ledger here, unreadable data: the shell simply offers nothing
            return []

    complete.__name__ = offer.__name__
    return complete


def _measures(ledger: Any) -> Iterable[Candidate]:
    return ((str(m.number), m.title) for m in ledger.measures)


def _targets(ledger: Any) -> Iterable[Candidate]:
    return ((t.id, t.what) for t in ledger.targets)


def _allocations(ledger: Any) -> Iterable[Candidate]:
    for budget in ledger.budgets:
        yield from ((a.id, a.label) for a in budget.allocations)


def _instruments(ledger: Any) -> Iterable[Candidate]:
    return ((i.id, i.name) for i in ledger.instruments)


def _budgets(ledger: Any) -> Iterable[Candidate]:
    return ((b.id, f"{b.total}{b.unit}") for b in ledger.budgets)


def _progress_records(ledger: Any) -> Iterable[Candidate]:
    """What ``ledger progress add`` takes: targets, allocations and instruments."""
    yield from _targets(ledger)
    yield from _allocations(ledger)
    yield from _instruments(ledger)


def _any_record(ledger: Any) -> Iterable[Candidate]:
    """What ``ledger log`` and ``progress list`` take: any record but a document or an area."""
    yield from _measures(ledger)
    yield from _targets(ledger)
    yield from _budgets(ledger)
    yield from _allocations(ledger)
    yield from _instruments(ledger)


def _leads(ledger: Any) -> Iterable[Candidate]:
    for area in ledger.areas:
        yield from ((lead, "") for lead in area.leads)


def _areas(ledger: Any) -> Iterable[Candidate]:
    return ((str(a.number), a.title) for a in ledger.areas)


complete_measure = _quietly(_measures)
complete_progress_record = _quietly(_progress_records)
complete_record = _quietly(_any_record)
complete_lead = _quietly(_leads)
complete_area = _quietly(_areas)

"""policy-ledger: a government policy document as data that people can query, check and keep current.

The public API is loaded lazily so that ``ledger --help`` does not pay for pydantic and ruamel.yaml.

>>> from policy_ledger import load_ledger, check_ledger
>>> ledger, problems = load_ledger(Path("data"))
>>> problems += check_ledger(ledger)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_ledger": "policy_ledger.loader",
    "find_data_dir": "policy_ledger.loader",
    "Ledger": "policy_ledger.ledger",
    "check_ledger": "policy_ledger.validation",
    "validate_data": "policy_ledger.validation",
    "Problem": "policy_ledger.problems",
    "Severity": "policy_ledger.problems",
    "LedgerError": "policy_ledger.problems",
    "answer": "policy_ledger.filters",
    "budget_statement": "policy_ledger.queries",
    "execution": "policy_ledger.queries",
    "export_ledger": "policy_ledger.queries",
}
__all__ = [
    "Ledger",
    "LedgerError",
    "Problem",
    "Severity",
    "__version__",
    "answer",
    "budget_statement",
    "check_ledger",
    "execution",
    "export_ledger",
    "find_data_dir",
    "load_ledger",
    "validate_data",
]

if TYPE_CHECKING:
    from .filters import answer
    from .ledger import Ledger
    from .loader import find_data_dir, load_ledger
    from .problems import LedgerError, Problem, Severity
    from .queries import budget_statement, execution, export_ledger
    from .validation import check_ledger, validate_data


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'policy_ledger' has no attribute {name!r}")

"""The query language: ``field:value`` terms and filter options, parsed into plain predicates.

People type and save questions such as ``lead:经信 unit:亿元 due:<2023-07-01 commitment:确保``. Each term
(and each filter option, which is the same term spelled as an option) becomes a ``Predicate``: a small
value that says which field it tests and is called on a row. Terms combine by AND. ``not:`` negates a
term; ``<``, ``>``, ``<=``, ``>=`` compare numbers, amounts and dates; ``a,b`` after the colon means
either value.

Rows are the typed rows of ``queries`` (exact ``Decimal`` numbers, ``date`` deadlines). ``FIELDS`` declares,
table by table, which row attribute each field name reads, so a renamed attribute fails in mypy here.
This module knows the ledger only through a ``Vocabulary`` of the values that exist, so that a value that
matches nothing because it does not exist (``area:9``, ``lead:教育局``) is refused as a usage error that
lists the valid ones, instead of quietly answering with an empty table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import eq, ge, gt, le, lt
from typing import Any, Generic, Literal, TypeVar, get_args

from .amounts import MONEY_UNITS, Number, convert, format_ranges, parse_fraction, parse_number
from .i18n import _
from .ledger import Ledger
from .models import Beneficiary, Budget, Instrument, InstrumentBasis, InstrumentForm, Target
from .problems import LedgerError
from .queries import (
    BudgetRow,
    InstrumentRow,
    LeadScope,
    MeasureRow,
    Row,
    StatusAnswer,
    TargetRow,
    check_area,
    status_answer,
    table_rows,
)
from .status import State
from .wording import AFTER_WORDS, BEFORE_WORDS, FIRM_WORDS, STRETCH_WORDS

R = TypeVar("R")
Kind = Literal["id", "count", "area", "measure", "number", "money", "date", "choice", "unit", "text", "lead"]
Operator = Literal["=", "<", "<=", ">", ">="]

ORDERED_KINDS = frozenset({"count", "area", "measure", "number", "money", "date"})
_OPERATORS: tuple[Operator, ...] = ("<=", ">=", "<", ">", "=")
#: A term's value, number then unit; a fraction is tried first (2/3 is not 2 in the unit /3).
_NUMBER_WITH_UNIT = re.compile(r"^(\d+/\d+|\d+(?:\.\d+)?)(.*)$")


def normalise(text: str) -> str:
    """Full-width and half-width spellings match (％ and %, ＲＥＩＴｓ and reits), case does not matter."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


COMMITMENTS: dict[str, str] = {
    **{name: name for name in ("firm", "stretch", "plain")},
    **{word: "firm" for word in FIRM_WORDS},
    **{word: "stretch" for word in STRETCH_WORDS},
}
COMPARATORS: dict[str, str] = {
    **{name: name for name in ("at_least", "at_most", "about", "exactly")},
    **dict(AFTER_WORDS),
    **dict(BEFORE_WORDS),
}
KINDS = {"quantitative": "quantitative", "milestone": "milestone"}
#: A target's state (``status`` module), spelled with a space, an underscore or a hyphen.
STATES: dict[str, State] = {
    spelling: state
    for state in State
    for spelling in (state.value, state.value.replace(" ", "_"), state.value.replace(" ", "-"))
}
YES_NO = {"yes": True, "no": False, "true": True, "false": False}
COMMITMENT_ORDER = {"firm": 0, "stretch": 1, "plain": 2}


@dataclass(frozen=True)
class Vocabulary:
    """The values that exist in the ledger for the table queried; what a term may name."""

    areas: frozenset[int] = frozenset()
    measures: frozenset[int] = frozenset()
    ids: frozenset[str] = frozenset()
    bureaus: tuple[str, ...] = ()
    units: frozenset[str] = frozenset()

    @classmethod
    def union(cls, parts: Sequence[Vocabulary]) -> Vocabulary:
        """What terms may name across several documents: whatever any of them has."""
        return cls(
            areas=frozenset().union(*(p.areas for p in parts)),
            measures=frozenset().union(*(p.measures for p in parts)),
            ids=frozenset().union(*(p.ids for p in parts)),
            bureaus=tuple(dict.fromkeys(b for p in parts for b in p.bureaus)),
            units=frozenset().union(*(p.units for p in parts)),
        )


@dataclass(frozen=True)
class Field(Generic[R]):
    """One thing a table can be filtered or sorted by, and how it is read from a row."""

    name: str
    kind: Kind
    read: Callable[[R], Any]
    #: the texts a ``text:`` term searches, and where a ``lead:`` term looks for a bureau's name
    texts: Callable[[R], Iterable[str | None]] = lambda _row: ()
    #: the unit ``read`` gives a number or an amount in (how ``value:>=5000万元`` converts)
    unit: Callable[[R], str | None] = lambda _row: None
    choices: Mapping[str, Any] | None = None
    sortable: bool = True


@dataclass(frozen=True)
class Predicate(Generic[R]):
    """One parsed term: called on a row, it says whether the row is kept."""

    field: Field[R]
    operator: Operator
    operands: tuple[Any, ...]
    negated: bool = False
    term: str = ""  # as the user wrote it, or the option spelled as a term

    def __call__(self, row: R) -> bool:
        return _matches(self, row) != self.negated


@dataclass(frozen=True)
class Sort(Generic[R]):
    field: Field[R]
    descending: bool = False

    def apply(self, rows: Sequence[R]) -> list[R]:
        """Rows without the field (a milestone's value, a goal's measure) go last either way."""
        keyed = [(_sort_key(self.field, row), row) for row in rows]
        present = [pair for pair in keyed if pair[0] is not None]
        missing = [row for key, row in keyed if key is None]
        present.sort(key=lambda pair: pair[0], reverse=self.descending)
        return [row for _key, row in present] + missing


@dataclass(frozen=True)
class Query(Generic[R]):
    table: str
    predicates: tuple[Predicate[R], ...] = ()
    sort: Sort[R] | None = None
    limit: int | None = None

    def run(self, rows: Iterable[R]) -> list[R]:
        kept = [row for row in rows if all(predicate(row) for predicate in self.predicates)]
        if self.sort is not None:
            kept = self.sort.apply(kept)
        return kept if self.limit is None else kept[: self.limit]


def _target_texts(row: TargetRow) -> tuple[str, ...]:
    return (row.what, row.quote)


def _measure_texts(row: MeasureRow) -> tuple[str, ...]:
    return (row.title, row.text)


def _budget_texts(row: BudgetRow) -> tuple[str | None, ...]:
    parts = [row.title, row.quote]
    for allocation in row.allocations:
        parts.extend((allocation.label, allocation.quote))
    return tuple(parts)


def _fields(*fields: Field[R]) -> dict[str, Field[R]]:
    return {f.name: f for f in fields}


TARGET_FIELDS: dict[str, Field[TargetRow]] = _fields(
    Field("id", "id", lambda r: r.id),
    Field("area", "area", lambda r: r.area),
    Field("measure", "measure", lambda r: r.measure),  # None for an area's goal
    Field("lead", "lead", lambda r: r.leads, texts=_target_texts),
    Field("text", "text", lambda r: None, texts=_target_texts, sortable=False),
    Field("unit", "unit", lambda r: r.unit),
    Field("commitment", "choice", lambda r: r.commitment, choices=COMMITMENTS),
    Field("comparator", "choice", lambda r: r.comparator, choices=COMPARATORS),
    Field("kind", "choice", lambda r: r.kind, choices=KINDS),
    Field("due", "date", lambda r: r.deadline),
    Field("value", "number", lambda r: r.value, unit=lambda r: r.unit),
    Field("has-budget", "choice", lambda r: r.budget is not None, choices=YES_NO),
    Field("status", "choice", lambda r: r.state, choices=STATES),
)
MEASURE_FIELDS: dict[str, Field[MeasureRow]] = _fields(
    Field("number", "measure", lambda r: r.number),
    Field("area", "area", lambda r: r.area),
    Field("lead", "lead", lambda r: r.leads, texts=_measure_texts),
    Field("text", "text", lambda r: None, texts=_measure_texts, sortable=False),
    Field("targets", "count", lambda r: len(r.targets)),
    Field("budget", "money", lambda r: r.budget_total, unit=lambda r: r.budget_unit),
    Field("has-budget", "choice", lambda r: r.budget is not None, choices=YES_NO),
)
BUDGET_FIELDS: dict[str, Field[BudgetRow]] = _fields(
    Field("id", "id", lambda r: r.id),
    Field("measure", "measure", lambda r: r.measure),
    Field("area", "area", lambda r: r.area),
    Field("lead", "lead", lambda r: r.leads, texts=_budget_texts),
    Field("text", "text", lambda r: None, texts=_budget_texts, sortable=False),
    Field("unit", "unit", lambda r: r.unit),
    Field("total", "money", lambda r: r.total, unit=lambda r: r.unit),
)
FORMS = {form: form for form in get_args(InstrumentForm)}
BASES = {basis: basis for basis in get_args(InstrumentBasis)}
BENEFICIARIES = {who: who for who in get_args(Beneficiary)}


def _instrument_texts(row: InstrumentRow) -> tuple[str | None, ...]:
    return (row.name, row.title, row.quote, row.standard_text, *row.leads)


INSTRUMENT_FIELDS: dict[str, Field[InstrumentRow]] = _fields(
    Field("id", "id", lambda r: r.id),
    Field("measure", "measure", lambda r: r.measure),
    Field("area", "area", lambda r: r.area),
    Field("lead", "lead", lambda r: r.leads, texts=_instrument_texts),
    Field("text", "text", lambda r: None, texts=_instrument_texts, sortable=False),
    Field("form", "choice", lambda r: r.form, choices=FORMS),
    Field("basis", "choice", lambda r: r.basis, choices=BASES),
    Field("for", "choice", lambda r: r.beneficiaries, choices=BENEFICIARIES, sortable=False),
    Field("unit", "unit", lambda r: r.unit),
    Field("amount", "money", lambda r: r.amount, unit=lambda r: r.unit),
)
#: Each table's fields: the names a term, an option or ``--sort`` may use, and the row attribute each reads.
FIELDS: dict[str, dict[str, Field[Any]]] = {
    "targets": TARGET_FIELDS,
    "measures": MEASURE_FIELDS,
    "budgets": BUDGET_FIELDS,
    "instruments": INSTRUMENT_FIELDS,
}

#: Filter options of ``ledger query``/``ledger list`` and the term each one stands for: ``--due-before``
#: is ``due:<``, every other option is its field's name with ``=``.
_EQUAL_OPTIONS = ("area", "lead", "text", "unit", "commitment", "comparator", "kind", "has-budget", "status")
OPTION_TERMS: dict[str, tuple[str, Operator]] = {
    "due-before": ("due", "<"),
    **{name: (name, "=") for name in _EQUAL_OPTIONS},
}


def usage(message: str) -> LedgerError:
    return LedgerError(message, exit_code=2)


def parse_term(table: str, term: str, vocabulary: Vocabulary) -> Predicate[Any]:
    """``lead:经信``, ``due:<2023-07-01``, ``not:unit:亿元`` → a predicate, or a usage error."""
    text = term.strip().replace("：", ":")
    negated = False
    if normalise(text).startswith("not:"):
        negated, text = True, text[4:].strip()
        if not text:
            raise usage(_("'{term}' needs a term after not:, e.g. not:kind:milestone").format(term=term))
    name, colon, value = text.partition(":")
    if not colon:
        raise usage(
            _(
                "'{term}' is not a field:value term; write e.g. text:{term} (fields of {table}: {fields})"
            ).format(term=term, table=table, fields=", ".join(FIELDS[table]))
        )
    name, fields = normalise(name), FIELDS[table]
    if name not in fields:
        raise usage(
            _("unknown field '{field}' in '{term}'; {table} have the fields {fields}").format(
                field=name, term=term, table=table, fields=", ".join(fields)
            )
        )
    field_ = fields[name]
    operator: Operator = "="
    value = value.strip()
    for candidate in _OPERATORS:
        if value.startswith(candidate):
            operator, value = candidate, value[len(candidate) :].strip()
            break
    return _predicate(field_, operator, value, negated, term.strip(), vocabulary)


def option_predicate(table: str, option: str, value: str, vocabulary: Vocabulary) -> Predicate[Any]:
    """``--due-before 2023-07-01`` is the term ``due:<2023-07-01``, with the option named in errors."""
    name, operator = OPTION_TERMS[option]
    fields = FIELDS[table]
    if name not in fields:
        applies = [t for t, fields_of in FIELDS.items() if name in fields_of]
        raise usage(
            _("--{option} does not apply to {table}; it filters {tables}").format(
                option=option, table=table, tables=", ".join(applies)
            )
        )
    shown = f"{name}:{'' if operator == '=' else operator}{value}"
    return _predicate(fields[name], operator, value.strip(), False, shown, vocabulary, f"--{option}")


def parse_sort(table: str, spec: str) -> Sort[Any]:
    """``due`` sorts ascending, ``-due`` descending."""
    descending = spec.startswith("-")
    name = normalise(spec.removeprefix("-"))
    fields = FIELDS[table]
    sortable = [n for n, f in fields.items() if f.sortable]
    if name not in fields or not fields[name].sortable:
        raise usage(
            _("cannot sort {table} by '{spec}'; sort by {fields} (-FIELD: descending)").format(
                table=table, spec=spec, fields=", ".join(sortable)
            )
        )
    return Sort(fields[name], descending)


def build_query(
    table: str,
    terms: Sequence[str] = (),
    options: Mapping[str, str | None] | None = None,
    vocabulary: Vocabulary | None = None,
    sort: str | None = None,
    limit: int | None = None,
) -> Query[Any]:
    """Terms and options, combined by AND, in the order given (terms first)."""
    if table not in FIELDS:
        raise usage(
            _("unknown table '{table}'; query {tables}").format(table=table, tables=", ".join(FIELDS))
        )
    vocabulary = vocabulary or Vocabulary()
    predicates = [parse_term(table, term, vocabulary) for term in terms]
    for option, value in (options or {}).items():
        if value is not None:
            predicates.append(option_predicate(table, option, value, vocabulary))
    if limit is not None and limit < 0:
        raise usage(_("--limit must be 0 or more, not {limit}").format(limit=limit))
    return Query(table, tuple(predicates), None if sort is None else parse_sort(table, sort), limit)


def _predicate(
    field_: Field[R],
    operator: Operator,
    value: str,
    negated: bool,
    term: str,
    vocabulary: Vocabulary,
    origin: str | None = None,
) -> Predicate[R]:
    where = origin or f"'{term}'"
    if not value:
        raise usage(
            _("{where} needs a value after the colon, e.g. {field}:{example}").format(
                where=where, field=field_.name, example=_example(field_)
            )
        )
    if operator != "=" and field_.kind not in ORDERED_KINDS:
        raise usage(
            _("{where}: {field} cannot be compared with {operator}; write {field}:VALUE").format(
                where=where, field=field_.name, operator=operator
            )
        )
    parts = [value] if field_.kind == "text" else [p.strip() for p in value.split(",") if p.strip()]
    if operator != "=" and len(parts) > 1:
        raise usage(_("{where}: a comparison takes one value, not a list").format(where=where))
    operands = tuple(_operand(field_, operator, part, where, vocabulary) for part in parts)
    return Predicate(field_, operator, operands, negated, term)


def _example(field_: Field[Any]) -> str:
    examples = {"area": "3", "measure": "17", "count": "3", "date": "2023-07-01", "number": ">=10亿元"}
    examples |= {"money": ">=1亿元", "unit": "亿元", "text": "贷款", "lead": "经信", "id": "17.1"}
    if field_.choices:
        return next(iter(field_.choices))
    return examples[field_.kind]


def _operand(field_: Field[Any], operator: Operator, text: str, where: str, vocabulary: Vocabulary) -> Any:
    kind = field_.kind
    if kind in {"area", "measure", "count"}:
        return _integer(field_, operator, text, where, vocabulary)
    if kind == "date":
        from .typed import read_day  # the reader of --as-of: 2023-07-01, 2023/7/1, 2023年7月1日

        try:
            return read_day(text).value
        except ValueError:
            raise usage(
                _("{where}: '{text}' is not a date; write YYYY-MM-DD, e.g. 2023-07-01").format(
                    where=where, text=text
                )
            ) from None
    if kind in {"number", "money"}:
        return _amount(field_, text, where, vocabulary)
    if kind == "choice":
        assert field_.choices is not None
        choice = field_.choices.get(normalise(text), field_.choices.get(text))
        if choice is None:
            raise usage(
                _("{where}: unknown {field} '{text}'; use one of {choices}").format(
                    where=where, field=field_.name, text=text, choices=", ".join(field_.choices)
                )
            )
        return choice
    if kind == "unit":
        return _unit(text, where, vocabulary.units)
    if kind == "lead":
        return _bureaus(text, where, vocabulary.bureaus)
    if kind == "id":
        if vocabulary.ids and text not in vocabulary.ids:
            sample = ", ".join(sorted(vocabulary.ids, key=natural_key)[:3])
            raise usage(
                _("{where}: no {field} '{text}' in the ledger; ids look like {sample}").format(
                    where=where, field=field_.name, text=text, sample=sample
                )
            )
        return text
    return normalise(text)


def _integer(field_: Field[Any], operator: Operator, text: str, where: str, vocabulary: Vocabulary) -> int:
    known = {"area": vocabulary.areas, "measure": vocabulary.measures}.get(field_.kind, frozenset())
    if known:
        valid = _("{field}s are {numbers}").format(field=field_.name, numbers=format_ranges(sorted(known)))
    else:
        valid = _("write a whole number")
    try:
        number = int(text)
    except ValueError:
        raise usage(
            _("{where}: '{text}' is not a {field} number; {advice}").format(
                where=where, text=text, field=field_.name, advice=valid
            )
        ) from None
    if operator == "=" and known and number not in known:
        raise usage(
            _("{where}: no {field} {number}; {advice}").format(
                where=where, field=field_.name, number=number, advice=valid
            )
        )
    return number


def _amount(field_: Field[Any], text: str, where: str, vocabulary: Vocabulary) -> tuple[Number, str | None]:
    match = _NUMBER_WITH_UNIT.match(text.strip())
    if match is None:
        raise usage(
            _("{where}: '{text}' is not a number; write e.g. {field}:{example}").format(
                where=where, text=text, field=field_.name, example=_example(field_)
            )
        )
    number_text, unit_text = match.group(1), match.group(2).strip()
    try:
        number: Number = parse_fraction(number_text) if "/" in number_text else parse_number(number_text)
    except ValueError:
        raise usage(_("{where}: '{text}' is not a number").format(where=where, text=text)) from None
    if field_.kind == "money":
        return number, _money_unit(unit_text, text, where)
    if not unit_text:
        return number, None
    return number, _unit(unit_text, where, vocabulary.units | frozenset(MONEY_UNITS))


def _money_unit(unit_text: str, text: str, where: str) -> str:
    for unit in MONEY_UNITS:
        if normalise(unit) == normalise(unit_text):
            return unit
    raise usage(
        _("{where}: '{text}' needs a money unit ({units}), e.g. 5000万元 or 0.5亿元").format(
            where=where, text=text, units=", ".join(MONEY_UNITS)
        )
    )


def _unit(text: str, where: str, units: frozenset[str]) -> str:
    wanted = normalise(text)
    for unit in units:
        if normalise(unit) == wanted:
            return unit
    listed = " ".join(sorted(units)) or _("(none)")
    raise usage(
        _("{where}: no unit '{text}' in the ledger; units: {units}").format(
            where=where, text=text, units=listed
        )
    )


def _bureaus(text: str, where: str, bureaus: Sequence[str]) -> tuple[str, ...]:
    """Every lead bureau whose name contains ``text``: 经信 → 市经信局."""
    wanted = normalise(text)
    found = tuple(b for b in bureaus if wanted in normalise(b))
    if not found:
        raise usage(
            _("{where}: no lead bureau matches '{text}'; bureaus: {bureaus}").format(
                where=where, text=text, bureaus=", ".join(bureaus) or _("(none)")
            )
        )
    return found


def names_of(bureau: str) -> tuple[str, ...]:
    """How a text names a bureau: in full (市经信局) or without the city (经信局)."""
    short = bureau.removeprefix("市")
    return (bureau, short) if short != bureau and len(short) > 1 else (bureau,)


def _matches(predicate: Predicate[R], row: R) -> bool:
    field_ = predicate.field
    kind = field_.kind
    if kind == "text":
        (words,) = predicate.operands
        return any(words in normalise(text) for text in field_.texts(row) if text)
    if kind == "lead":
        return any(_led_by(row, field_, bureau) for bureaus in predicate.operands for bureau in bureaus)
    value = field_.read(row)
    if value is None:
        return False
    if kind in {"number", "money"}:
        unit = field_.unit(row)
        return any(
            _compare_amount(value, unit, operand, predicate.operator) for operand in predicate.operands
        )
    if kind == "unit":
        return normalise(value) in {normalise(o) for o in predicate.operands}
    values = value if isinstance(value, tuple) else (value,)  # a list field: any of its items
    return any(_compare(v, operand, predicate.operator) for v in values for operand in predicate.operands)


def _led_by(row: R, field_: Field[R], bureau: str) -> bool:
    if bureau in field_.read(row):
        return True
    return any(name in text for text in field_.texts(row) if text for name in names_of(bureau))


def _compare_amount(
    value: Number, unit: str | None, operand: tuple[Number, str | None], op: Operator
) -> bool:
    wanted, wanted_unit = operand
    if wanted_unit is not None and unit != wanted_unit:
        if unit not in MONEY_UNITS or wanted_unit not in MONEY_UNITS:
            return False
        value = convert(value, unit, wanted_unit)
    return _compare(value, wanted, op)


_COMPARISONS: dict[Operator, Callable[[Any, Any], Any]] = {"=": eq, "<": lt, "<=": le, ">": gt, ">=": ge}


def _compare(value: Any, operand: Any, op: Operator) -> bool:
    return bool(_COMPARISONS[op](value, operand))


def _sort_key(field_: Field[R], row: R) -> Any:
    value = field_.read(row)
    if value is None:
        return None
    if field_.kind == "id":
        return natural_key(value)
    if field_.kind == "lead":
        return tuple(value)
    if field_.kind in {"money", "number"}:
        # money sorts by its amount in 元, so that 5580万元 falls between 0.5亿元 and 1亿元
        unit = field_.unit(row)
        if unit in MONEY_UNITS:
            return convert(value, unit, "元")
        return None if field_.kind == "money" else value
    if field_.name == "commitment":
        return COMMITMENT_ORDER.get(value, len(COMMITMENT_ORDER))
    return value


def natural_key(identifier: str) -> tuple[Any, ...]:
    """``2.1`` before ``17.1`` before ``A1.1``: numbers inside ids compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", identifier))


# --- answering a query ---------------------------------------------------------------------------


def vocabulary(ledger: Ledger, table: str, document_id: str) -> Vocabulary:
    """What terms may name: the areas, measures, ids, lead bureaus and units that exist."""
    areas = [a for a in ledger.areas if a.document == document_id]
    bureaus: list[str] = []
    for area in sorted(areas, key=lambda a: a.number):
        bureaus.extend(b for b in area.leads if b not in bureaus)
    tables: dict[str, Sequence[Target | Budget | Instrument]] = {
        "targets": ledger.targets,
        "budgets": ledger.budgets,
        "instruments": ledger.instruments,
    }
    records = [r for r in tables.get(table, ()) if r.document == document_id]  # measures have no ids
    return Vocabulary(
        areas=frozenset(a.number for a in areas),
        measures=frozenset(m.number for m in ledger.measures if m.document == document_id),
        ids=frozenset(r.id for r in records),
        bureaus=tuple(bureaus),
        units=frozenset(r.unit for r in records if r.unit),
    )


def answer(
    ledger: Ledger,
    table: str,
    terms: Sequence[str] = (),
    options: dict[str, str | None] | None = None,
    sort: str | None = None,
    limit: int | None = None,
    document_id: str | None = None,
    as_of: date | None = None,
) -> Sequence[Row]:
    """``ledger query``: the rows of ``table`` that every term and option keeps, sorted and limited.

    The rows are of the table's row type (``TargetRow`` for targets, …): narrow with ``isinstance``.
    Targets are judged on ``as_of`` (default: today), so that ``status:behind`` means behind then.
    """
    documents = documents_asked(ledger, document_id)
    words = [vocabulary(ledger, table, document) for document in documents]
    query = build_query(table, terms, options, Vocabulary.union(words), sort, limit)
    day = as_of or date.today()
    return query.run([row for document in documents for row in table_rows(ledger, table, document, day)])


def documents_asked(ledger: Ledger, document_id: str | None) -> list[str]:
    """The documents a listing covers: the one named (by id or number), else every one, in the files'
    order."""
    if document_id is not None or len(ledger.documents) <= 1:
        return [ledger.pick_document(document_id)]
    return list(dict.fromkeys(d.id for d in ledger.documents))


def status_answers(
    ledger: Ledger, as_of: date, document_id: str | None, area: int | None, lead: str | None
) -> dict[str, StatusAnswer]:
    """``ledger status``: each document's answer, by document (the one named, else every one).

    Across documents, a document without the area or lead bureau named has nothing to show and is left
    out; the usage error stands only when no document has it."""
    answers: dict[str, StatusAnswer] = {}
    refusals: list[LedgerError] = []
    for document in documents_asked(ledger, document_id):
        try:
            if area is not None:
                check_area(ledger, area, document)
            scope = None if lead is None else lead_scope(ledger, lead, document)
        except LedgerError as exc:
            refusals.append(exc)
            continue
        answers[document] = status_answer(ledger, as_of, document, area, scope)
    if not answers:
        raise refusals[0]
    return answers


def lead_scope(ledger: Ledger, lead: str, document_id: str | None = None) -> LeadScope:
    """What ``--lead`` keeps beyond ``ledger query``: ``ledger status --lead 经信`` judges the targets and
    counts the instruments that ``ledger query targets|instruments --lead 经信`` lists, D1 included.

    A lead that names no bureau is the same usage error as in a query.
    """
    document = ledger.pick_document(document_id)
    found: dict[str, frozenset[str]] = {}
    for table in ("targets", "instruments"):
        rows = answer(ledger, table, options={"lead": lead}, document_id=document)
        found[table] = frozenset(row.id for row in rows if isinstance(row, (TargetRow, InstrumentRow)))
    bureaus = _bureaus(lead, "--lead", vocabulary(ledger, "targets", document).bureaus)
    return LeadScope(bureaus=bureaus, targets=found["targets"], instruments=found["instruments"])

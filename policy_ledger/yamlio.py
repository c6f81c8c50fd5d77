"""The only module that reads or writes YAML text.

There is one reader and one writer. The reader parses with libyaml (PyYAML's C parser, the pure-Python one
where no C build is installed) under YAML 1.2 rules and builds plain data, noting as it goes where every
record and every field stands: records carry their place from here on, and no other code looks for a
line. The writer edits one record's lines through ruamel.yaml's round trip, so that comments, quoting and
key order survive and every other byte of the file stays as it was.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .i18n import _
from .messages import N_, Message

if TYPE_CHECKING:  # ruamel.yaml is imported only by a write
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

#: Lines are never folded: a long Chinese sentence stays on one line, as people wrote it.
HOUSE_WIDTH = 100_000
#: Ledger data has no use for anchors and aliases; a few are tolerated, many are an attack
#: ("billion laughs": each alias can stand for a whole subtree, and validating them multiplies the work).
MAX_ALIASES = 10
#: Nesting deeper than this is not ledger data.
MAX_DEPTH = 50
_CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ")
_SYNTAX_HINT = Message(N_("check the quotes, colons and indentation of this line and the one above"))


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class YamlSyntaxError:
    """A file that could not be read as ledger YAML; line and column are 1-based, hint says what to do.

    ``message`` and ``hint`` are ``Message``s; what PyYAML itself says stays English inside them."""

    message: Message
    line: int
    column: int
    hint: Message = _SYNTAX_HINT


@dataclass(frozen=True, slots=True)
class Span:
    """Where one record (an item of a top-level list) stands in its file.

    ``line``/``column`` are 1-based; ``end`` is the 0-based line just past its text as the parser saw
    it (trailing comments and blank lines included: ``own_lines`` trims them); ``fields`` (read with
    ``field_positions``) maps each
    field and list item inside it, as a dotted path (``"allocations.1.unit"``), to its (line, column).
    """

    line: int
    column: int
    end: int
    fields: dict[str, tuple[int, int]]


@dataclass
class YamlFile:
    """One parsed file: its data, where its records and top-level keys stand, and what went wrong."""

    raw: bytes
    text: str = ""
    data: Any = None
    records: dict[tuple[str, int], Span] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)
    #: (first line, first column, last line, last column) of every scalar whose text holds a '#', so
    #: that a '#' inside a quoted string is never taken for a comment
    hash_scalars: list[tuple[int, int, int, int]] = field(default_factory=list)
    syntax_error: YamlSyntaxError | None = None

    def is_comment(self, line: int, column: int) -> bool:
        """Whether a '#' at this 1-based position starts a comment rather than standing in a value."""
        return not any(
            (first, first_col) <= (line, column) <= (last, last_col)
            for first, first_col, last, last_col in self.hash_scalars
        )


class _NotLedgerYaml(Exception):
    """Raised inside the builder for YAML that is valid but has no place in ledger data."""

    def __init__(self, node: Any, message: Message, hint: Message) -> None:
        super().__init__(message)
        mark = node.start_mark
        self.error = YamlSyntaxError(message, mark.line + 1, mark.column + 1, hint)


def field_positions(lines: list[str], line: int, end: int) -> dict[str, tuple[int, int]]:
    """The position of every field of the record on ``lines`` [line, end] (1-based), found by reading
    those lines again on their own with the same reader."""
    block = "\n".join(lines[line - 1 : end])
    parsed = parse(f"r:\n{block}\n".encode(), fields=True)
    span = parsed.records.get(("r", 0))
    if span is None or parsed.syntax_error is not None:
        return {}
    offset = line - 2
    return {name: (at_line + offset, at_column) for name, (at_line, at_column) in span.fields.items()}


def parse(raw: bytes, *, fields: bool = False) -> YamlFile:
    """Parse a file's bytes; never raises on bad YAML (the error is returned in the result).

    ``fields`` notes the position of every field of every record too (``field_positions``).
    """
    result = YamlFile(raw=raw)
    try:
        result.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        result.syntax_error = YamlSyntaxError(
            Message(N_("file is not UTF-8 text")), line, 1, Message(N_("save it as UTF-8"))
        )
        return result
    marker = _conflict_marker(result.text)
    if marker:
        result.syntax_error = YamlSyntaxError(
            Message(N_("unresolved merge conflict (a line starting with <<<<<<<, ======= or >>>>>>>)")),
            marker,
            1,
            Message(N_("resolve the conflict and remove the markers")),
        )
        return result
    import yaml

    loader = _loader_class()(result.text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        result.syntax_error = _explain_syntax_error(exc, result.text)
        return result
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        result.syntax_error = _explain_reader_error(exc, result.text)
        return result
    except RecursionError:
        result.syntax_error = _too_deep(1, 1)
        return result
    finally:
        loader.dispose()
    if root is None:
        return result
    try:
        result.data = _Builder(result, count_aliases="*" in result.text, fields=fields).top(root)
    except _NotLedgerYaml as exc:
        result.data = None
        result.syntax_error = exc.error
    return result


class _Builder:
    """Plain data from libyaml's node tree, with every record's place.

    Building straight from the nodes costs less than PyYAML's generic constructor (whose bookkeeping
    for recursive structures ledger data never needs) and is where positions are free to take.
    """

    def __init__(self, result: YamlFile, *, count_aliases: bool, fields: bool) -> None:
        self.result = result
        self.fields = fields
        self.seen: set[int] | None = set() if count_aliases else None
        self.aliases = 0

    def top(self, root: Any) -> Any:
        """The root mapping's lists become records with spans; anything else is built as it is."""
        import yaml

        if not isinstance(root, yaml.MappingNode):
            return self.build(root, 1, None, "", root)
        data: dict[Any, Any] = {}
        for key_node, value_node in root.value:
            key = self.key(key_node, data)
            if key is None:
                continue
            self.result.keys[str(key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if isinstance(value_node, yaml.SequenceNode):
                self.visit(value_node, key_node)
                items = []
                for index, item in enumerate(value_node.value):
                    fields: dict[str, tuple[int, int]] = {}
                    items.append(self.build(item, 3, fields if self.fields else None, "", value_node))
                    mark, end = item.start_mark, item.end_mark
                    block = isinstance(item, yaml.MappingNode) and not item.flow_style
                    last = end.line if block else end.line + 1
                    self.result.records[(str(key), index)] = Span(
                        mark.line + 1, mark.column + 1, max(last, mark.line + 1), fields
                    )
                data[key] = items
            else:
                data[key] = self.build(value_node, 2, None, "", key_node)
        return data

    def visit(self, node: Any, holder: Any) -> None:
        """Count a node met a second time (an alias) and refuse more than ``MAX_ALIASES`` of them,
        naming the collection that holds the alias (an alias has no position of its own)."""
        if self.seen is None:
            return
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _NotLedgerYaml(
                    holder,
                    Message(N_("more than {count} YAML aliases (*name)"), count=MAX_ALIASES),
                    Message(N_("write the values out instead")),
                )
        self.seen.add(id(node))

    def key(self, node: Any, mapping: dict[Any, Any]) -> Any:
        """A mapping key: a scalar, never written twice (the repeat is noted and skipped)."""
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise _NotLedgerYaml(node, Message(N_("a key that is a list or mapping")), _PLAIN_KEYS)
        if node.tag == _MERGE:
            raise _NotLedgerYaml(
                node, Message(N_("a merge key (<<)")), Message(N_("write the fields out instead"))
            )
        key = self.scalar(node)
        if isinstance(key, (list, dict)) or key is None:
            raise _NotLedgerYaml(node, Message(N_("a key that is empty or not a word")), _PLAIN_KEYS)
        if key in mapping:
            mark = node.start_mark
            self.result.duplicate_keys.append(DuplicateKey(str(key), mark.line + 1, mark.column + 1))
            return None
        return key

    def build(
        self, node: Any, depth: int, fields: dict[str, tuple[int, int]] | None, path: str, holder: Any
    ) -> Any:
        """Plain data for ``node``; the hot loop of every read, so written for speed: scalar values and
        plain keys are built inline, and node classes are looked up once."""
        scalar_node, sequence_node, mapping_node = _NODES
        if depth > MAX_DEPTH:
            raise _NotLedgerYaml(node, _deeper(), _DEPTH_HINT)
        kind = type(node)
        if kind is scalar_node:
            return self.scalar(node)
        if self.seen is not None:
            self.visit(node, holder)
        scalars, build, deeper = _SCALARS, self.build, depth + 1
        if kind is sequence_node and node.tag == _SEQ:
            if fields is None:
                return [build(item, deeper, None, "", node) for item in node.value]
            items = []
            for index, item in enumerate(node.value):
                where = f"{path}.{index}" if path else str(index)
                mark = item.start_mark
                fields[where] = (mark.line + 1, mark.column + 1)
                items.append(build(item, deeper, fields, where, node))
            return items
        if kind is mapping_node and node.tag == _MAP:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is scalar_node and key_node.tag == _STR and "#" not in key_node.value:
                    key = key_node.value
                    if key in mapping:
                        key = self.key(key_node, mapping)  # notes the repeat
                else:
                    key = self.key(key_node, mapping)
                if key is None:
                    continue
                where = ""
                if fields is not None:
                    where = f"{path}.{key}" if path else str(key)
                    mark = key_node.start_mark
                    fields[where] = (mark.line + 1, mark.column + 1)
                if type(value_node) is scalar_node:
                    text = value_node.value
                    builder = scalars.get(value_node.tag)
                    if builder is None or "#" in text:
                        mapping[key] = self.scalar(value_node)
                    else:
                        mapping[key] = builder(text)
                else:
                    mapping[key] = build(value_node, deeper, fields, where, key_node)
            return mapping
        raise _NotLedgerYaml(node, _tag(node.tag), Message(N_("remove the tag")))

    def scalar(self, node: Any) -> Any:
        text = node.value
        if "#" in text:
            start, end = node.start_mark, node.end_mark
            self.result.hash_scalars.append((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        builder = _SCALARS.get(node.tag)
        if builder is None:
            raise _NotLedgerYaml(node, _tag(node.tag), Message(N_("remove the tag")))
        return builder(text)


_MAP, _SEQ, _MERGE = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
#: PyYAML's node classes (scalar, sequence, mapping), set when the loader is first built.
_NODES: tuple[Any, Any, Any] = (None, None, None)
_DEPTH_HINT = Message(N_("ledger records are shallow; check the indentation"))
_PLAIN_KEYS = Message(N_("keys are plain words: name: value"))


def _deeper() -> Message:
    return Message(N_("YAML nested deeper than {depth} levels"), depth=MAX_DEPTH)


def _tag(tag: str) -> Message:
    return Message(N_("the YAML tag {tag} is not used in ledger data"), tag=tag)


def _number(text: str) -> Any:
    """A number in its one canonical spelling (``amounts.parse_number``); any other spelling stays text,
    so that the model reports it at its line instead of the reader guessing what was meant."""
    from .amounts import parse_number

    try:
        return parse_number(text)
    except ValueError:
        return text


def _whole_number(text: str) -> Any:
    number = _number(text)
    return int(number) if not isinstance(number, str) and "." not in text else number


#: How each YAML 1.2 core tag becomes a value. Dates stay text: the models parse them (one date parser).
_SCALARS: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:int": _whole_number,
    "tag:yaml.org,2002:float": _number,
    "tag:yaml.org,2002:bool": lambda text: text.lower() == "true",
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:timestamp": str,
}
_LOADER: Any = None


def _loader_class() -> Any:
    """libyaml's parser with YAML 1.2 resolution (``no`` is text, ``1_000`` is not a number)."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml
    from ruamel.yaml.resolver import implicit_resolvers

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: ClassVar[dict[str, list[Any]]] = {}

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            # libyaml asks Python to resolve every scalar; keys and short values repeat thousands of
            # times, and a C-level cache answers those without running any Python
            self.resolve = functools.lru_cache(maxsize=1 << 16)(super().resolve)

    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            Loader.add_implicit_resolver(tag, regexp, first)
    global _NODES
    _NODES = (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode)
    _LOADER = Loader
    return Loader


def _conflict_marker(text: str) -> int | None:
    """The 1-based line of the first merge-conflict marker, or None."""
    if "<<<<<<< " not in text and ">>>>>>> " not in text and "\n=======" not in text:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(_CONFLICT_MARKERS):
            return number
    return None


def _too_deep(line: int, column: int) -> YamlSyntaxError:
    return YamlSyntaxError(_deeper(), line, column, _DEPTH_HINT)


def _explain_reader_error(exc: Any, text: str) -> YamlSyntaxError:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    if not isinstance(position, int):
        return YamlSyntaxError(_syntax(_first_line(exc)), 1, 1)
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    code = character if isinstance(character, int) else ord(str(character)[:1] or "?")
    return YamlSyntaxError(
        Message(
            N_("the file contains the control character {code}, which YAML does not allow"),
            code=f"U+{code:04X}",
        ),
        line,
        column,
        Message(N_("remove it")),
    )


def _first_line(exc: Any) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "malformed YAML"


def _explain_syntax_error(exc: Any, text: str) -> YamlSyntaxError:
    """Point at the line a person has to fix, which is not always where the parser gave up."""
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join(str(exc.problem or exc.context or "malformed YAML").split())
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "\t" in problem or "\\t" in problem or "tab" in problem:
        return YamlSyntaxError(
            Message(N_("YAML syntax error: a tab character")), line, column, Message(N_("indent with spaces"))
        )
    start = exc.context_mark.line if exc.context_mark else 0
    lines = text.splitlines()
    for number in range(start, min(line, len(lines))):
        content = lines[number].split(" #", 1)[0]
        if content.lstrip().startswith("#"):
            continue
        for quote in ('"', "'"):
            if content.count(quote) % 2 == 1:
                return YamlSyntaxError(
                    Message(
                        N_("YAML syntax error: the {quote} opened on this line is never closed"), quote=quote
                    ),
                    number + 1,
                    content.index(quote) + 1,
                    Message(N_("close it")),
                )
    return YamlSyntaxError(_syntax(problem), line, column)


def _syntax(problem: str) -> Message:
    """What the YAML parser says (in its own English words), framed in the reader's language."""
    return Message(N_("YAML syntax error: {problem}"), problem=problem)


# --- the writer ---------------------------------------------------------------------------------------


class HouseStyleError(ValueError):
    """A record whose lines would not survive the round trip unchanged, so it cannot be edited safely."""


_HOUSE_CLASSES: Any = None


def _house_classes() -> Any:
    """The constructor and representer of the house style, built on first use."""
    global _HOUSE_CLASSES
    if _HOUSE_CLASSES is not None:
        return _HOUSE_CLASSES
    from decimal import Decimal

    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.representer import RoundTripRepresenter

    from .amounts import ExactDecimal

    class _Constructor(RoundTripConstructor):
        """Round trip with exact decimals: a number is never turned into a float and back."""

        def construct_yaml_float(self, node: Any) -> Any:
            return ExactDecimal(self.construct_scalar(node))

    _Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)

    class _Representer(RoundTripRepresenter):
        pass

    def _represent_decimal(representer: Any, data: Decimal) -> Any:
        text = data.text if isinstance(data, ExactDecimal) else format(data, "f")
        tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
        return representer.represent_scalar(tag, text)

    _Representer.add_representer(ExactDecimal, _represent_decimal)
    _Representer.add_representer(Decimal, _represent_decimal)
    _HOUSE_CLASSES = (_Constructor, _Representer)
    return _HOUSE_CLASSES


def _house_yaml() -> YAML:
    """One configured round-trip YAML() in the house style: 2-space maps, `  - ` lists, no folding."""
    from ruamel.yaml import YAML

    constructor, representer = _house_classes()
    yaml = YAML(typ="rt")
    yaml.Constructor = constructor
    yaml.Representer = representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = HOUSE_WIDTH
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    return yaml


def _dump(data: Any) -> str:
    import io

    stream = io.StringIO()
    _house_yaml().dump(data, stream)
    return stream.getvalue()


def own_lines(lines: list[str], start: int, end: int) -> int:
    """Where a record's own lines end: blank lines and comments after it introduce the next record, so
    they are not part of it, and a write that extends it never lands under the next one's comments."""
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


@dataclass(frozen=True)
class Edit:
    """A file's new text and where it differs: old lines [start, old_end) became [start, new_end)."""

    text: str
    start: int
    old_end: int
    new_end: int


@dataclass(frozen=True)
class _Cut:
    """A record's own lines cut out of a file, read through the round trip."""

    lines: list[str]  # the file's lines, with their ends
    plain: list[str]  # the same without their ends
    start: int
    end: int
    shift: int  # the indentation of the list the record stands in
    record: CommentedMap
    newline: str


def _cut_record(text: str, span: Span, record_id: str) -> _Cut:
    """The lines of the record at ``span``, read on their own; refused when they are not one record,
    not the record named (the file moved under the caller), or not laid out like their neighbours."""
    lines = text.splitlines(keepends=True)
    plain = [line.rstrip("\r\n") for line in lines]
    start = span.line - 1
    end = own_lines(plain, start, min(span.end, len(plain)))
    shift = len(plain[start]) - len(plain[start].lstrip(" ")) - 2
    if shift < 0 or any(line.strip() and not line.startswith(" " * shift) for line in plain[start:end]):
        raise HouseStyleError(
            _("line {line}: the record is not laid out like its neighbours").format(line=start + 1)
        )
    try:
        records = _house_yaml().load("".join(line[shift:] + "\n" for line in plain[start:end]))
    except Exception as exc:  # ruamel raises many kinds; any of them means "not this record"
        raise HouseStyleError(
            _("line {line}: the record's lines cannot be read on their own").format(line=start + 1)
        ) from exc
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(records, list) or len(records) != 1 or not isinstance(records[0], CommentedMap):
        raise HouseStyleError(_("line {line}: the lines there are not one record").format(line=start + 1))
    if str(records[0].get("id", records[0].get("number"))) != record_id:  # an area or measure: its number
        raise HouseStyleError(
            _("line {line}: the record there is not {record}").format(line=start + 1, record=record_id)
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    return _Cut(lines, plain, start, end, shift, records[0], newline)


def edit_record(text: str, span: Span, record_id: str, change: Callable[[CommentedMap], None]) -> Edit:
    """The file's text with one record changed by ``change``; every line outside the record is kept.

    The record's lines are cut out, read through the round trip, changed and written back in the house
    style. A record that would not survive that unchanged (a layout of its own) is refused rather than
    rewritten; so is a span that does not hold the record named (the file moved under the caller).
    """
    cut = _cut_record(text, span, record_id)
    start, end, shift = cut.start, cut.end, cut.shift
    if _dump([cut.record]) != "".join(line[shift:] + "\n" for line in cut.plain[start:end]):
        raise HouseStyleError(
            _(
                "line {line}: {record} is not laid out in the house style, so it cannot be changed "
                "without rewriting it; compare it with its neighbours"
            ).format(line=start + 1, record=record_id)
        )
    change(cut.record)
    new_lines = [
        (" " * shift + line if line else line) + cut.newline for line in _dump([cut.record]).split("\n")[:-1]
    ]
    lines = cut.lines
    if end == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        new_lines[-1] = new_lines[-1].rstrip("\r\n")
    return Edit("".join(lines[:start] + new_lines + lines[end:]), start, end, start + len(new_lines))


def read_block(text: str) -> Any:
    """A block of YAML (the lines of one record, as edited) read back through the round trip."""
    return _house_yaml().load(text)


def new_mapping(fields: list[tuple[str, Any]]) -> CommentedMap:
    """A mapping that dumps in the house style, keys in the given order."""
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    for key, value in fields:
        mapping[key] = value
    return mapping


def new_sequence() -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


def dump_plain(data: Any, *, ascii_only: bool = False) -> str:
    """Plain data (dicts, lists, text, numbers, booleans, None) as block-style YAML for output.

    Unlike the ledger's own files, keys keep their order, lists sit at their key's indentation (the
    common style of YAML read by scripts) and nulls print as ``null``. With ``ascii_only``, text beyond
    ASCII is written in double quotes with ``\\u`` escapes, for a console that cannot show it.
    """
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = not ascii_only
    yaml.width = HOUSE_WIDTH
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def load_plain(text: str) -> Any:
    """What ``dump_plain`` wrote, read back as plain data."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


# --- new records ----------------------------------------------------------------------------------------

_PLAIN_CHECK: Any = None


def _needs_quotes(text: str) -> bool:
    """Whether ``text`` must be quoted to read back as this text (YAML 1.2): the house writes it in
    double quotes then (``"%"``, ``"17.1"``), never in ruamel's single ones."""
    global _PLAIN_CHECK
    if _PLAIN_CHECK is None:
        from ruamel.yaml.emitter import Emitter
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.resolver import VersionedResolver

        emitter, resolver = Emitter(None, allow_unicode=True), VersionedResolver(version=(1, 2))
        _PLAIN_CHECK = (emitter, resolver, ScalarNode)
    emitter, resolver, scalar_node = _PLAIN_CHECK
    analysis = emitter.analyze_scalar(text)
    if not (analysis.allow_block_plain and analysis.allow_flow_plain) or "\n" in text:
        return True
    return bool(resolver.resolve(scalar_node, text, (True, False)) != "tag:yaml.org,2002:str")


def house_value(value: Any, *, quoted: bool = False) -> Any:
    """A value as the house writes it: text plain where it reads back as text, else in double quotes
    (always with ``quoted``: a target's id); a list of text in flow style (``leads: [市发改局]``); a
    mapping with its keys in the order given."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        return DoubleQuotedScalarString(value) if quoted or _needs_quotes(value) else value
    if isinstance(value, list):
        items = CommentedSeq(house_value(item) for item in value)
        if all(isinstance(item, str) for item in value):
            items.fa.set_flow_style()
        return items
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return new_mapping([(key, house_value(item)) for key, item in value.items()])
    return value


def append_records(text: str, additions: dict[str, list[Any]], comment: str | None = None) -> str:
    """The file's text with records added at the end of its top-level lists; every line it held stays.

    ``additions`` maps a list's key (``targets``) to its new records (mappings, in the house style, see
    ``house_value``). Each list's new records follow its last record (after a blank line and the line
    ``# comment``, when given), are its first ones (``key: []`` becomes ``key:``), or start the list
    at the end of the file when the file has none. The file must parse; a layout the house does not
    write (a list in flow style, a list that is not at the top) is refused with ``HouseStyleError``.
    """
    parsed = parse(text.encode("utf-8"))
    if parsed.syntax_error is not None:
        error = parsed.syntax_error
        raise HouseStyleError(
            _("line {line}: {problem}").format(line=error.line, problem=error.message.shown())
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    plain = [line.rstrip("\r\n") for line in lines]
    inserts: list[tuple[int, int, list[str]]] = []  # (where, how many old lines it replaces, new lines)
    data = parsed.data if isinstance(parsed.data, dict) else {}
    for key, records in additions.items():
        if not records:
            continue
        block = [line for line in _dump(list(records)).split("\n")[:-1]]
        note = [f"  # {comment}"] if comment else []
        existing = data.get(key)
        if key not in parsed.keys:
            lead = [""] if lines and plain[-1].strip() else []
            inserts.append((len(lines), 0, [*lead, f"{key}:", *note, *block]))
            continue
        key_line = parsed.keys[key][0] - 1
        if parsed.keys[key][1] != 1:
            raise HouseStyleError(
                _("line {line}: {key} is not a top-level list").format(line=key_line + 1, key=key)
            )
        if existing is None or existing == []:
            head = plain[key_line].split("#", 1)[0].rstrip()
            if head not in (f"{key}:", f"{key}: []"):
                raise HouseStyleError(
                    _("line {line}: {key} is not written as the house writes a list").format(
                        line=key_line + 1, key=key
                    )
                )
            inserts.append((key_line, 1, [f"{key}:", *note, *block]))
            continue
        if not isinstance(existing, list) or (key, len(existing) - 1) not in parsed.records:
            raise HouseStyleError(
                _("line {line}: {key} is not a list of records").format(line=key_line + 1, key=key)
            )
        last = parsed.records[(key, len(existing) - 1)]
        first = parsed.records[(key, 0)]
        if plain[first.line - 1].lstrip().startswith("- {") or "[" in plain[key_line].split("#", 1)[0]:
            raise HouseStyleError(
                _("line {line}: {key} is written in flow style").format(line=key_line + 1, key=key)
            )
        end = own_lines(plain, last.line - 1, min(last.end, len(plain)))
        indent = len(plain[last.line - 1]) - len(plain[last.line - 1].lstrip(" ")) - 2
        if indent < 0:
            raise HouseStyleError(
                _("line {line}: the record is not laid out like its neighbours").format(line=last.line)
            )
        shifted = [(" " * indent + line if line else line) for line in [*note, *block]]
        inserts.append((end, 0, ["", *shifted] if comment else shifted))
    for where, replaced, new_lines in sorted(inserts, key=lambda item: item[0], reverse=True):
        lines[where : where + replaced] = [line + newline for line in new_lines]
    return "".join(lines)


def remove_record(text: str, span: Span, record_id: str, key: str, count: int) -> Edit:
    """The file's text without one record's own lines (its comments above stay); the list's last
    record gone, the list is written ``key: []``. ``count``: how many records the list holds."""
    cut = _cut_record(text, span, record_id)
    lines, plain, start = cut.lines, cut.plain, cut.start
    if count == 1:
        key_line = next((i for i in range(start - 1, -1, -1) if plain[i].startswith(f"{key}:")), None)
        if key_line is None or plain[key_line].split("#", 1)[0].rstrip() != f"{key}:":
            raise HouseStyleError(
                _("line {line}: {key} is not a top-level list").format(line=start + 1, key=key)
            )
        lines[key_line] = f"{key}: []" + cut.newline
    return Edit("".join(lines[:start] + lines[cut.end :]), start, cut.end, start)

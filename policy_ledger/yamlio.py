"""The only module that touches ruamel.yaml.

It owns the house YAML style (so an unchanged file round-trips byte for byte), reads numbers as exact
decimals (a YAML float never becomes a Python float), collects duplicate keys instead of stopping at the
first, and maps a path inside a document back to the line and column it came from.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .amounts import ExactDecimal

if TYPE_CHECKING:  # ruamel.yaml is imported when a file is parsed or written, not at start-up
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import MarkedYAMLError

#: Lines are never folded: a long Chinese sentence stays on one line, as people wrote it.
HOUSE_WIDTH = 100_000
#: Ledger data has no use for anchors and aliases; a few are tolerated, many are an attack
#: ("billion laughs": each alias can stand for a whole subtree, and validating them multiplies the work).
MAX_ALIASES = 10
#: Nesting deeper than this is not ledger data.
MAX_DEPTH = 50
#: A data file larger than this is refused before parsing (the real files are under 50 kB, a ledger
#: a hundred times larger under 5 MB).
MAX_FILE_BYTES = 32 * 1024 * 1024
_CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ")


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int  # 1-based
    column: int  # 1-based


_HOUSE_CLASSES: Any = None


def _house_classes() -> Any:
    """The constructor, composer and representer of the house style, built on first use."""
    global _HOUSE_CLASSES
    if _HOUSE_CLASSES is not None:
        return _HOUSE_CLASSES
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.representer import RoundTripRepresenter

    class _LedgerConstructor(RoundTripConstructor):
        """Round-trip constructor with exact decimals and collected (not raised) duplicate keys."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.duplicate_keys: list[DuplicateKey] = []

        def construct_yaml_float(self, node: Any) -> Any:
            text = self.construct_scalar(node)
            try:
                return ExactDecimal(text)
            except ArithmeticError:  # .inf, .nan, sexagesimal: not amounts the ledger accepts
                return super().construct_yaml_float(node)

        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:  # 2023-02-30: keep the text so the model reports it at its line
                return self.construct_scalar(node)

        def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
            if key in mapping:
                mark = key_node.start_mark
                self.duplicate_keys.append(DuplicateKey(str(key), mark.line + 1, mark.column + 1))
                return False
            return True

    _LedgerConstructor.add_constructor("tag:yaml.org,2002:float", _LedgerConstructor.construct_yaml_float)
    _LedgerConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", _LedgerConstructor.construct_yaml_timestamp
    )

    class _LedgerComposer(Composer):
        """Composer that stops at ``MAX_ALIASES`` aliases instead of building an exponential tree."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.aliases = 0

        def return_alias(self, node: Any) -> Any:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise ComposerError(
                    None,
                    None,
                    f"more than {MAX_ALIASES} YAML aliases (*name); write the values out instead",
                    node.start_mark,
                )
            return node

    class _LedgerRepresenter(RoundTripRepresenter):
        pass

    def _represent_decimal(representer: Any, data: Decimal) -> Any:
        text = data.text if isinstance(data, ExactDecimal) else format(data, "f")
        tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
        return representer.represent_scalar(tag, text)

    _LedgerRepresenter.add_representer(ExactDecimal, _represent_decimal)
    _LedgerRepresenter.add_representer(Decimal, _represent_decimal)

    _HOUSE_CLASSES = (_LedgerConstructor, _LedgerComposer, _LedgerRepresenter)
    return _HOUSE_CLASSES


def make_yaml() -> YAML:
    """One configured YAML() in the house style: 2-space maps, `  - ` lists, no folding."""
    from ruamel.yaml import YAML

    constructor, composer, representer = _house_classes()
    yaml = YAML(typ="rt")
    yaml.Constructor = constructor
    yaml.Composer = composer
    yaml.Representer = representer
    yaml.max_depth = MAX_DEPTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = HOUSE_WIDTH
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    return yaml


@dataclass
class YamlSyntaxError:
    """A file that could not be parsed at all; line and column are 1-based, hint says what to do."""

    message: str
    line: int
    column: int
    hint: str = ""


@dataclass
class LoadedYaml:
    """One parsed file: its data plus what went wrong while reading it.

    ``data`` is a round-trip tree (``read_yaml``) or plain Python (``read_fast``); either way
    ``position`` finds the line and column of a path in it, composing the file only when asked.
    """

    path: Path
    data: Any = None
    text: str = ""  # decoded, without a byte-order mark
    raw: bytes = b""  # the bytes as read, so a writer can tell whether the file changed since
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)
    syntax_error: YamlSyntaxError | None = None
    _nodes: Any = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)
    _scan_memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    _unread: bool = field(default=False, repr=False)

    @classmethod
    def unread(cls, path: Path) -> LoadedYaml:
        """A file known only by name (a ledger from the cache): read when a position is asked for."""
        return cls(path=path, _unread=True)

    def read_text(self) -> str:
        """The file's text, read now if the ledger came from the cache."""
        if self._unread:
            self.raw = self.path.read_bytes()
            self.text = self.raw.decode("utf-8-sig", errors="replace")
            self._unread = False
        return self.text

    def position(self, loc: tuple[int | str, ...]) -> tuple[int, int]:
        """The 1-based (line, column) of ``loc`` (e.g. ``("targets", 3, "value")``) in this file."""
        if hasattr(self.data, "lc"):  # a round-trip tree knows its own positions
            return position(self.data, loc)
        self.read_text()
        if self._lines is None:
            self._lines = self.text.split("\n")
        scanned = scan_position(self._lines, loc, self._scan_memo)
        if scanned is not None:
            return scanned
        if self._nodes is None:
            self._nodes = _compose(self.text)
        return _node_position(self._nodes, loc)


def read_yaml(path: Path) -> LoadedYaml:
    """Parse ``path``; never raises on bad YAML (the error is returned), only on I/O failure."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        loaded = LoadedYaml(path=path)
        loaded.syntax_error = YamlSyntaxError(
            f"file is {size / 1024 / 1024:.0f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB a "
            "ledger file may have",
            1,
            1,
            "is this the right file?",
        )
        return loaded
    raw = path.read_bytes()
    loaded = LoadedYaml(path=path, raw=raw)
    try:
        loaded.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        loaded.syntax_error = YamlSyntaxError("file is not UTF-8 text", line, 1, "save it as UTF-8")
        return loaded
    marker = _conflict_marker(loaded.text)
    if marker:
        loaded.syntax_error = YamlSyntaxError(
            "unresolved merge conflict (a line starting with <<<<<<<, ======= or >>>>>>>)",
            marker,
            1,
            "resolve the conflict and remove the markers",
        )
        return loaded
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = make_yaml()
    try:
        loaded.data = yaml.load(loaded.text)
    except MarkedYAMLError as exc:
        loaded.syntax_error = _explain_syntax_error(exc, loaded.text)
    except ReaderError as exc:
        before = loaded.text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        loaded.syntax_error = YamlSyntaxError(
            f"the file contains the control character U+{code:04X}, which YAML does not allow",
            line,
            column,
            "remove it",
        )
    except YAMLError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "malformed YAML"
        loaded.syntax_error = YamlSyntaxError(f"YAML syntax error: {first_line}", 1, 1, _SYNTAX_HINT)
    constructor = yaml.constructor
    loaded.duplicate_keys = list(getattr(constructor, "duplicate_keys", []))
    return loaded


def read_fast(path: Path) -> LoadedYaml:
    """Parse ``path`` with libyaml (PyYAML's C loader) for commands that only read.

    The values are the same as ``read_yaml`` gives (YAML 1.2 resolution, exact decimals, impossible
    dates kept as text, duplicate keys collected), but without the round-trip tree, which costs several
    times more. Anything unusual (a syntax error, anchors and aliases, no C loader installed) is left to
    ``read_yaml``, so messages and limits stay the same on both paths.
    """
    try:
        import yaml
        from yaml import CSafeLoader  # noqa: F401 - only the C loader is worth the second path
    except ImportError:
        return read_yaml(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        return read_yaml(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return read_yaml(path)
    has_alias_chars = "&" in text or "*" in text  # a plain scan first: the regex costs more on big files
    if _conflict_marker(text) or (has_alias_chars and _ALIAS_OR_ANCHOR.search(text)):
        return read_yaml(path)
    loader = _fast_loader_class()(text)
    try:
        data = loader.get_single_data()
    except (yaml.YAMLError, RecursionError):
        return read_yaml(path)
    finally:
        loader.dispose()
    return LoadedYaml(path=path, data=data, text=text, raw=raw, duplicate_keys=loader.duplicate_keys)


#: An anchor (&name) or alias (*name) where a YAML node may start; such files take the bounded path.
_MAP, _SEQ, _MERGE = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"
_ALIAS_OR_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\]}]")
_FAST_LOADER: Any = None


def _fast_loader_class() -> Any:
    """A PyYAML C loader that resolves and constructs values exactly as the round-trip reader does."""
    global _FAST_LOADER
    if _FAST_LOADER is not None:
        return _FAST_LOADER
    import yaml
    from ruamel.yaml.resolver import implicit_resolvers

    class FastLoader(yaml.CSafeLoader):  # type: ignore[misc, name-defined]
        yaml_implicit_resolvers: ClassVar[dict[str, list[Any]]] = {}

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicate_keys: list[DuplicateKey] = []
            # libyaml asks Python to resolve every scalar; keys and short values repeat thousands of
            # times, and a C-level cache answers those without running any Python
            self.resolve = functools.lru_cache(maxsize=1 << 16)(super().resolve)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in mapping:
                    mark = key_node.start_mark
                    self.duplicate_keys.append(DuplicateKey(str(key), mark.line + 1, mark.column + 1))
                    continue
                mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

        def construct_yaml_map(self, node: Any) -> Any:
            data: dict[Any, Any] = {}
            yield data
            data.update(self.construct_mapping(node))

        def construct_document(self, node: Any) -> Any:
            """Build plain data straight from the nodes: the generic constructor's bookkeeping (deep
            construction, recursive structures) costs more than the parsing, and ledger data needs
            none of it. Anything else (tags, merge keys) goes the generic way."""
            scalars = self.scalar_builders
            duplicates = self.duplicate_keys
            map_tag, seq_tag, merge_tag = _MAP, _SEQ, _MERGE

            def build(node: Any) -> Any:
                kind = type(node)
                if kind is scalar_node:
                    builder = scalars.get(node.tag)
                    return builder(node) if builder else self.construct_object(node, deep=True)
                if kind is mapping_node and node.tag == map_tag:
                    mapping: dict[Any, Any] = {}
                    for key_node, value_node in node.value:
                        if key_node.tag == merge_tag:
                            return self.construct_object(node, deep=True)
                        key = build(key_node)
                        if key in mapping:
                            mark = key_node.start_mark
                            duplicates.append(DuplicateKey(str(key), mark.line + 1, mark.column + 1))
                            continue
                        mapping[key] = build(value_node)
                    return mapping
                if kind is sequence_node and node.tag == seq_tag:
                    return [build(item) for item in node.value]
                return self.construct_object(node, deep=True)

            return build(node)

    def construct_float(loader: Any, node: Any) -> Any:
        text = node.value
        try:
            return ExactDecimal(text)
        except ArithmeticError:  # .inf and .nan, which the models refuse as they do from read_yaml
            return float(text.lower().lstrip("+").replace(".", ""))

    def construct_int(loader: Any, node: Any) -> int:
        text = node.value.replace("_", "")
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
            if digits.startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits)  # YAML 1.2: 017 is seventeen, as the round-trip reader has it

    def construct_timestamp(loader: Any, node: Any) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    FastLoader.scalar_builders = {
        "tag:yaml.org,2002:str": lambda node: node.value,
        "tag:yaml.org,2002:int": lambda node: construct_int(None, node),
        "tag:yaml.org,2002:float": lambda node: construct_float(None, node),
        "tag:yaml.org,2002:bool": lambda node: node.value.lower() == "true",
        "tag:yaml.org,2002:null": lambda node: None,
    }
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            FastLoader.add_implicit_resolver(tag, regexp, first)
    FastLoader.add_constructor("tag:yaml.org,2002:float", construct_float)
    FastLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    FastLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    FastLoader.add_constructor("tag:yaml.org,2002:map", FastLoader.construct_yaml_map)
    _FAST_LOADER = FastLoader
    return FastLoader


def _compose(text: str) -> Any:
    """The node tree of ``text`` with line and column marks (libyaml when available)."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader_class)
    except yaml.YAMLError:
        return None


def _node_position(root: Any, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """Like ``position`` for a composed PyYAML node tree."""
    line, column = 1, 1
    node = root
    for part in loc:
        value = getattr(node, "value", None)
        if getattr(node, "tag", "").endswith(":map") and isinstance(value, list):
            match = next((pair for pair in value if getattr(pair[0], "value", None) == part), None)
            if match is None:
                break
            mark = match[0].start_mark
            line, column = mark.line + 1, mark.column + 1
            node = match[1]
        elif (
            getattr(node, "tag", "").endswith(":seq")
            and isinstance(part, int)
            and 0 <= part < len(value or [])
        ):
            assert value is not None
            mark = value[part].start_mark
            line, column = mark.line + 1, mark.column + 1
            node = value[part]
        else:
            break
    return line, column


def _conflict_marker(text: str) -> int | None:
    """The 1-based line of the first merge-conflict marker, or None."""
    if "<<<<<<< " not in text and ">>>>>>> " not in text:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(_CONFLICT_MARKERS):
            return number
    return None


_SYNTAX_HINT = "check the quotes, colons and indentation of this line and the one above"


def _explain_syntax_error(exc: MarkedYAMLError, text: str) -> YamlSyntaxError:
    """Point at the line a person has to fix, which is not always where the parser gave up."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "malformed YAML"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "\t" in problem or "\\t" in problem:
        return YamlSyntaxError("YAML syntax error: a tab character", line, column, "indent with spaces")
    if "maximum depth" in problem:
        return YamlSyntaxError(
            f"YAML nested deeper than {MAX_DEPTH} levels",
            line,
            column,
            "ledger records are shallow; check the indentation",
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
                    f"YAML syntax error: the {quote} opened on this line is never closed",
                    number + 1,
                    content.index(quote) + 1,
                    "close it",
                )
    return YamlSyntaxError(f"YAML syntax error: {problem}", line, column, _SYNTAX_HINT)


def dump_yaml(data: Any) -> str:
    """Serialise a round-trip tree in the house style."""
    import io

    stream = io.StringIO()
    make_yaml().dump(data, stream)
    return stream.getvalue()


def dump_plain(data: Any) -> str:
    """Plain data (dicts, lists, text, numbers, booleans, None) as block-style YAML for output.

    Unlike ``dump_yaml`` this is not for the ledger's own files: keys keep their order, lists sit at
    their key's indentation (the common style of YAML read by scripts) and nulls print as ``null``.
    """
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = HOUSE_WIDTH
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace ``path`` so that readers see the old file or the new one, never half of either.

    The new file keeps the old one's permissions; text is written as UTF-8 with its newlines untouched.
    """
    import tempfile

    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def position(root: Any, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """The 1-based (line, column) of the deepest node on ``loc`` that the file really has.

    A pydantic error location such as ``("targets", 3, "value")`` is walked through ruamel's ``lc``
    data; when the path ends at a key that is missing, the enclosing record's position is returned,
    which is where a person has to add it.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line, column = 1, 1
    node = root
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            key_line, key_col = node.lc.key(part)
            line, column = key_line + 1, key_col + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            item_line, item_col = node.lc.item(part)
            line, column = item_line + 1, item_col + 1
            node = node[part]
        else:
            break
    return line, column


def new_mapping(fields: list[tuple[str, Any]]) -> CommentedMap:
    """A mapping that dumps in the house style, keys in the given order."""
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    for key, value in fields:
        mapping[key] = value
    return mapping


def new_sequence() -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


def record_line_range(lines: list[str], root: Any, path: tuple[str | int, ...]) -> tuple[int, int]:
    """0-based [start, end) of one list item's own lines: its ``- `` line to its last content line.

    Blank lines and comments after the item introduce the next one, so they are not part of it; a write
    that extends the item therefore never lands under the next record's comment block.
    """
    parent: Any = root
    for part in path[:-1]:
        parent = parent[part]
    index = int(path[-1])
    start = parent.lc.item(index)[0]
    is_last = index + 1 == len(parent)
    end = _end_of_item(lines, start) if is_last else parent.lc.item(index + 1)[0]
    while end > start + 1 and _is_blank_or_comment(lines[end - 1]):
        end -= 1
    return start, end


def _end_of_item(lines: list[str], start: int) -> int:
    """Where the last item of a list ends: the first later line indented no deeper than its ``- ``."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if _is_blank_or_comment(line):
            continue
        if len(line) - len(line.lstrip(" ")) <= indent:
            return number
    return len(lines)


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def file_digest(raw: bytes) -> str:
    """The content hash a file is known by (the cache's key, a writer's check that nothing changed)."""
    import hashlib

    return hashlib.sha256(raw).hexdigest()


def locate_item(lines: list[str], path: tuple[str | int, ...]) -> tuple[int, int] | None:
    """0-based [start, end) of a block-style list item, found by indentation alone, or None.

    ``path`` alternates keys and indexes from the top: ``("targets", 7)``,
    ``("budgets", 3, "allocations", 1)``. This reads a file of thousands of records in a few
    milliseconds where a round-trip parse takes seconds; callers confirm what it found (the item's id)
    and fall back to ``record_line_range`` on a full parse when it finds nothing or the wrong thing.
    """
    begin, stop, key_indent = 0, len(lines), 0
    start = end = -1
    for step in range(0, len(path) - 1, 2):
        key, index = path[step], path[step + 1]
        if not isinstance(key, str) or not isinstance(index, int):
            return None
        key_line = next(
            (
                n
                for n in range(begin, stop)
                if _indent(lines[n]) == key_indent and lines[n].strip().split(" #")[0] == f"{key}:"
            ),
            None,
        )
        if key_line is None:
            return None
        items, item_indent = [], None
        seq_end = stop
        for n in range(key_line + 1, stop):
            line = lines[n]
            if _is_blank_or_comment(line):
                continue
            indent = _indent(line)
            if indent <= key_indent and not (indent == key_indent and line.lstrip().startswith("- ")):
                seq_end = n
                break
            if item_indent is None:
                if not line.lstrip().startswith("- "):
                    return None
                item_indent = indent
            if indent == item_indent and line.lstrip().startswith("- "):
                items.append(n)
            elif indent < (item_indent or 0):
                seq_end = n
                break
        if index >= len(items):
            return None
        start = items[index]
        end = items[index + 1] if index + 1 < len(items) else seq_end
        while end > start + 1 and _is_blank_or_comment(lines[end - 1]):
            end -= 1
        begin, stop, key_indent = start, end, (item_indent or 0) + 2
    if start < 0:
        return None
    return start, end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _scan_key(
    lines: list[str], part: str, begin: int, stop: int, key_indent: int, item_line: int | None
) -> Any:
    """Where key ``part`` stands in [begin, stop), and its value's lines and indentation."""
    found = None
    for n in range(begin, stop):
        text = lines[n]
        indent = _indent(text)
        content = text[indent:]
        if n == item_line and content.startswith("- "):
            content, indent = content[2:], indent + 2
        if indent == key_indent and content.startswith(f"{part}:"):
            rest = content[len(part) + 1 :]
            if rest and not rest.startswith(" "):
                continue  # "part:x" is not the key part
            found = n
            break
    if found is None:
        return "missing"
    rest = lines[found].split(f"{part}:", 1)[1].split(" #", 1)[0].strip()
    if rest.startswith(("[", "{", "&", "*", "!", "|", ">")):
        return "defer"  # flow, anchors, tags, block scalars: leave it to the parser
    end = found + 1
    while end < stop and (_is_blank_or_comment(lines[end]) or _indent(lines[end]) > key_indent):
        end += 1
    first = next((n for n in range(found + 1, end) if not _is_blank_or_comment(lines[n])), None)
    next_indent = _indent(lines[first]) if first is not None else key_indent + 2
    return found, found + 1, end, next_indent


def scan_position(
    lines: list[str], loc: tuple[int | str, ...], memo: dict[Any, Any] | None = None
) -> tuple[int, int] | None:
    """``position`` found by indentation alone in block-style YAML, without parsing the file.

    Returns None when the text is not plain block style along the way (flow collections, quoted or
    complex keys), and the caller composes the file instead; a test holds it to the parser's answer for
    every record and field of the real data.
    """
    begin, stop, key_indent = 0, len(lines), 0
    item_line: int | None = None  # a list item's "- " line, which holds its first key
    line, column = 1, 1
    for part in loc:
        if isinstance(part, str):
            step = (part, begin, stop, key_indent, item_line)
            known = memo.get(step) if memo is not None else None
            if known is None:
                known = _scan_key(lines, part, begin, stop, key_indent, item_line)
                if memo is not None:
                    memo[step] = known
            if known == "defer":
                return None
            if known == "missing":
                return line, column
            found, begin, stop, next_indent = known
            line, column = found + 1, key_indent + 1
            item_line, key_indent = None, next_indent
        else:
            key = (begin, stop, key_indent)
            items = memo.get(key) if memo is not None else None
            if items is None:  # the list's items, remembered: findings ask for many items of one list
                items = [
                    n
                    for n in range(begin, stop)
                    if _indent(lines[n]) == key_indent and lines[n][key_indent:].startswith("- ")
                ]
                if memo is not None:
                    memo[key] = items
            if not items or not 0 <= part < len(items):
                return line, column
            start = items[part]
            end = items[part + 1] if part + 1 < len(items) else stop
            line, column = start + 1, key_indent + 3
            begin, stop, item_line, key_indent = start, end, start, key_indent + 2
    return line, column

"""JSON and YAML data files read safely: bounded, in linear time, and as the user wrote them.

Both readers return the top-level value and where each top-level key is written, found in the
same pass that reads the file (a key is never searched for afterwards). Every limit of
`perfrules.limits` that applies is checked before the work it bounds: nesting depth before a
recursive parser could overflow, the digits of a number before it is converted, alias
expansions before they are expanded. A problem is a `DataError` with the line and column where
it is, when known.

YAML follows the 1.2 core schema for what becomes a number, a boolean or null, and keeps
everything else as the text typed: `010` is 10 (never octal 8), `1:30` is the text 「1:30」
(never 90), `yes`/`no`/`on`/`off` are words, numbers are Decimals, never floats, and `0x1F`
or `0o17` (31 and 15 in YAML 1.2) are refused with a finding rather than guessed. Alias references are counted as they would expand: an alias of a node
that itself holds aliases counts them all again, so a "billion laughs" file stops at
`limits.MAX_YAML_ALIASES` before anything is expanded.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfrules import limits


class DataError(ValueError):
    """A data file that cannot be read safely; `reason` in Chinese, `line`/`column` 1-based when known."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None, key: str | None = None):
        super().__init__(reason)
        self.reason, self.line, self.column, self.key = reason, line, column, key


@dataclass
class Document:
    """A data file's top-level value, and where each top-level key is written: (line, column, end column)."""

    data: Any
    keys: dict[str, tuple[int, int, int]] = field(default_factory=dict)


# ---------------------------------------------------------------- numbers

_DECIMAL = re.compile(r"[-+]?(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[-+]?[0-9]+))?\Z")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_YAML_INT = re.compile(r"[-+]?[0-9]+\Z")


def number(text: str) -> Decimal:
    """A decimal number as written, its size checked before it is converted (never slow, never a traceback).

    At most `limits.MAX_INTEGER_DIGITS` digits before the point (exponent included); a non-zero
    number smaller than 10^-MAX_FRACTION_DIGITS is refused too (it carries no meaning, and
    dividing by it overflows).
    """
    match = _DECIMAL.match(text)
    if match is None or not (match["int"] or match["frac"]):
        raise DataError(f"{shorten(text)} 不是十进制数")
    whole, fraction, exponent_text = match["int"], match["frac"] or "", match["exp"] or "0"
    if len(exponent_text.lstrip("+-").lstrip("0")) > 6:  # 10^±1,000,000 and beyond: nothing to compute
        exponent = 10**7 if not exponent_text.startswith("-") else -(10**7)
    else:
        exponent = int(exponent_text)
    significant = whole.lstrip("0")
    if significant:
        magnitude = len(significant) - 1 + exponent  # the power of ten of the first digit
    else:
        rest = fraction.lstrip("0")
        if not rest:
            return Decimal(0)
        magnitude = -(len(fraction) - len(rest)) - 1 + exponent
    if magnitude >= limits.MAX_INTEGER_DIGITS:
        raise DataError(f"数值 {shorten(text)} 太大（不超过 {limits.MAX_INTEGER_DIGITS} 位整数）")
    if magnitude < -limits.MAX_FRACTION_DIGITS:
        raise DataError(f"数值 {shorten(text)} 太小（小数点后不超过 {limits.MAX_FRACTION_DIGITS} 位有效）")
    return Decimal(text)


def shorten(text: str, keep: int = 24) -> str:
    """A long literal shown by its start and its length, so a 100,000-digit number makes a short message."""
    return text if len(text) <= keep else f"{text[:keep]}…（共 {len(text):,} 个字符）"


# ---------------------------------------------------------------- positions


class _Lines:
    """Offsets of line starts, for line and column of an offset in O(log n)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


# ---------------------------------------------------------------- JSON

_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(?P<colon>\s*:)?|[\[\]{}]', re.DOTALL)


def read_json(text: str) -> Document:
    """A JSON document; nesting, numbers, constants and lone surrogates checked, keys located in one pass."""
    lines = _Lines(text)
    keys, repeated = _scan_json(text, lines)

    def constant(name: str) -> Any:
        raise DataError(f"JSON 中的 {name} 不是数", *_find_literal(text, lines, name))

    def parse_number(literal: str) -> Decimal:
        try:
            return number(literal)
        except DataError as error:
            raise DataError(error.reason, *_find_literal(text, lines, literal)) from None

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                where = repeated.get(key) or keys.get(key)
                line, column = (where[0], where[1]) if where else (None, None)
                raise DataError(f"名称「{key}」出现了两次：同一指标只能给一个实际值", line, column, key=key)
            seen[key] = value
        return seen

    try:
        data = json.loads(text, parse_float=parse_number, parse_int=parse_number, parse_constant=constant,
                          object_pairs_hook=unique)
    except json.JSONDecodeError as error:
        raise DataError(f"JSON 格式错误：{error.msg}", error.lineno, error.colno) from None
    except RecursionError:  # the scan above refuses deep nesting first; this is the last guard
        raise DataError(f"嵌套超过 {limits.MAX_NESTING} 层") from None
    check_tree(data, keys)
    return Document(data, keys)


def _scan_json(text: str, lines: _Lines) -> tuple[dict[str, tuple[int, int, int]], dict[str, tuple[int, int, int]]]:
    """The top-level keys' positions (first, and a repeated one), and nesting refused past MAX_NESTING."""
    depth = 0
    keys: dict[str, tuple[int, int, int]] = {}
    repeated: dict[str, tuple[int, int, int]] = {}
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limits.MAX_NESTING:
                raise DataError(f"嵌套超过 {limits.MAX_NESTING} 层", *lines.at(match.start()))
        elif token in "]}":
            depth -= 1
        elif depth == 1 and match["colon"]:
            quoted = token[: len(token) - len(match["colon"])]
            try:
                key = json.loads(quoted) if "\\" in quoted else quoted[1:-1]
            except ValueError:
                continue
            line, column = lines.at(match.start())
            where = (line, column, column + len(quoted))
            if key in keys:
                repeated.setdefault(key, where)
            else:
                keys[key] = where
    return keys, repeated


def _find_literal(text: str, lines: _Lines, literal: str) -> tuple[int | None, int | None]:
    """Where a number or constant is written outside strings (only when reporting one)."""
    pattern = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\w.+-])(' + re.escape(literal) + r")(?![\w.])", re.DOTALL)
    for match in pattern.finditer(text):
        if match.group(1) is not None:
            return lines.at(match.start(1))
    return None, None


# ---------------------------------------------------------------- the loaded tree

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_tree(data: Any, keys: dict[str, tuple[int, int, int]]) -> None:
    """Nesting within MAX_NESTING and no lone surrogates in any text, iteratively (a cycle stops at the depth)."""
    stack: list[tuple[Any, int, str | None]] = [(data, 1, None)]
    while stack:
        value, depth, top = stack.pop()
        if isinstance(value, dict):
            if depth > limits.MAX_NESTING:
                raise _at(f"嵌套超过 {limits.MAX_NESTING} 层", keys, top)
            for key, item in value.items():
                where = top if top is not None else str(key)
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise _at(f"名称中有不成对的代理字符（{_escaped(key)}）：不是有效的 Unicode 文本", keys, where)
                stack.append((item, depth + 1, where))
        elif isinstance(value, list):
            if depth > limits.MAX_NESTING:
                raise _at(f"嵌套超过 {limits.MAX_NESTING} 层", keys, top)
            stack.extend((item, depth + 1, top) for item in value)
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise _at(f"文字中有不成对的代理字符（{_escaped(value)}）：不是有效的 Unicode 文本", keys, top)


def _escaped(text: str) -> str:
    return shorten(text).encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")


def _at(reason: str, keys: dict[str, tuple[int, int, int]], key: str | None) -> DataError:
    where = keys.get(key) if key is not None else None
    line, column = (where[0], where[1]) if where else (None, None)
    return DataError(reason, line, column, key=key)


# ---------------------------------------------------------------- YAML

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_SPECIAL = "tag:perfrules:special-float"
_RADIX = "tag:perfrules:radix-int"


def read_yaml(text: str) -> Document:
    """A YAML document read with the 1.2 core schema (decimal numbers only), aliases and depth bounded."""
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document({})
        keys: dict[str, tuple[int, int, int]] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    line, column = loader.where(key_node.start_mark)
                    end_line, end_column = loader.where(key_node.end_mark)
                    keys.setdefault(key_node.value, (line, column, end_column if end_line == line else column + 1))
        data = loader.construct_document(node)
    except DataError:
        raise
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        if "maximum nesting depth" in problem:  # libyaml's own guard, met while it looks ahead
            problem = f"嵌套超过 {limits.MAX_NESTING} 层"
        line, column = loader.where(mark) if mark else (None, None)
        raise DataError(problem if problem.startswith("嵌套") else f"YAML 格式错误：{problem}", line, column) from None
    except RecursionError:
        raise DataError(f"嵌套超过 {limits.MAX_NESTING} 层") from None
    finally:
        loader.dispose()
    check_tree(data, keys)
    return Document(data, keys)


_LOADER: Any = None


def _loader_class() -> Any:
    global _LOADER
    if _LOADER is None:
        _LOADER = _build_loader()
    return _LOADER


def _build_loader() -> Any:
    import yaml
    from yaml.composer import Composer
    from yaml.constructor import BaseConstructor, ConstructorError
    from yaml.resolver import BaseResolver

    class Resolver(BaseResolver):
        """The YAML 1.2 core schema, decimal numbers only: yes/no, 1:30, dates stay text; 0x/0o forms are refused."""

    Resolver.yaml_implicit_resolvers = {}
    Resolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""])
    Resolver.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"),
                                   list("tTfF"))
    Resolver.add_implicit_resolver("tag:yaml.org,2002:int", _YAML_INT, list("-+0123456789"))
    Resolver.add_implicit_resolver("tag:yaml.org,2002:float", _YAML_FLOAT, list("-+.0123456789"))
    Resolver.add_implicit_resolver(_SPECIAL, re.compile(r"(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"),
                                   list("-+."))
    Resolver.add_implicit_resolver(_RADIX, re.compile(r"0(?:x[0-9a-fA-F]+|o[0-7]+)\Z"), ["0"])

    class BoundedComposer(Composer):
        """Counts alias references as they would expand, and nesting, before building anything bigger."""

        lines: _Lines

        def where(self, mark: Any) -> tuple[int, int]:
            """A mark's line and column as an editor counts them (YAML 1.1 parsers also break lines at U+2028)."""
            return self.lines.at(mark.index)

        def compose_document(self) -> Any:
            self.expanded = 0
            self.inner: dict[str, int] = {}  # anchor -> alias expansions inside its node
            self.depth = 0
            return super().compose_document()

        def compose_node(self, parent: Any, index: Any) -> Any:
            event: Any = self.peek_event()  # type: ignore[attr-defined]
            mark: Any = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                self.expanded += 1 + self.inner.get(str(event.anchor), 0)
                if self.expanded > limits.MAX_YAML_ALIASES:
                    raise DataError(f"别名（*alias）引用展开后超过 {limits.MAX_YAML_ALIASES} 次：拒绝读取（防止别名炸弹）",
                                    *self.where(mark))
                return super().compose_node(parent, index)
            self.depth += 1
            if self.depth > limits.MAX_NESTING:
                raise DataError(f"嵌套超过 {limits.MAX_NESTING} 层", *self.where(mark))
            before = self.expanded
            node = super().compose_node(parent, index)
            self.depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self.inner[anchor] = self.expanded - before
            return node

    class Constructor(BaseConstructor):
        def where(self, mark: Any) -> tuple[int, int]:
            raise NotImplementedError  # the composer's, earlier in the loader's bases

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            if not isinstance(node, yaml.MappingNode):
                raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise DataError("名称（键）须是文字，不能是列表或对象", *self.where(key_node.start_mark))
                key = key_node.value  # a name as typed: `010:` is the name 「010」
                if key in mapping:
                    line, column = self.where(key_node.start_mark)
                    raise DataError(f"名称「{key}」出现了两次：同一指标只能给一个实际值", line, column, key=key)
                mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

        def construct_sequence(self, node: Any, deep: bool = False) -> list[Any]:
            if not isinstance(node, yaml.SequenceNode):
                raise ConstructorError(None, None, f"expected a sequence node, but found {node.id}", node.start_mark)
            return [self.construct_object(child, deep=deep) for child in node.value]

    def construct_null(self: Any, node: Any) -> None:
        return None

    def construct_bool(self: Any, node: Any) -> bool:
        return str(self.construct_scalar(node)).lower() == "true"

    def construct_number(self: Any, node: Any) -> Decimal:
        try:
            return number(str(self.construct_scalar(node)))
        except DataError as error:
            mark = node.start_mark
            raise DataError(error.reason, *self.where(mark)) from None

    def construct_special(self: Any, node: Any) -> Decimal:
        mark = node.start_mark
        raise DataError(f"{node.value} 不是有限的数，不能作为实际值", *self.where(mark))

    def construct_radix(self: Any, node: Any) -> Decimal:
        mark = node.start_mark
        raise DataError(f"{node.value} 是十六进制或八进制写法，perfrules 不作猜测：请写成十进制数，或加引号作为文字",
                        *self.where(mark))

    def construct_str(self: Any, node: Any) -> str:
        return str(self.construct_scalar(node))

    def construct_seq(self: Any, node: Any) -> list[Any]:
        return self.construct_sequence(node, deep=True)  # type: ignore[no-any-return]

    def construct_map(self: Any, node: Any) -> dict[Any, Any]:
        return self.construct_mapping(node, deep=True)  # type: ignore[no-any-return]

    Constructor.yaml_constructors = {}
    Constructor.add_constructor("tag:yaml.org,2002:null", construct_null)
    Constructor.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    for tag in _NUMBER_TAGS:
        Constructor.add_constructor(tag, construct_number)
    Constructor.add_constructor(_SPECIAL, construct_special)
    Constructor.add_constructor(_RADIX, construct_radix)
    Constructor.add_constructor("tag:yaml.org,2002:str", construct_str)
    Constructor.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    Constructor.add_constructor("tag:yaml.org,2002:map", construct_map)

    def construct_undefined(self: Any, node: Any) -> Any:
        raise ConstructorError(None, None, f"不支持的 YAML 标签 {node.tag}", node.start_mark)

    Constructor.add_constructor(None, construct_undefined)

    try:
        from yaml._yaml import CParser as Parser  # libyaml's events; composing stays in Python so it can be counted

        class Loader(BoundedComposer, Parser, Constructor, Resolver):
            def __init__(self, stream: str) -> None:
                self.lines = _Lines(stream)
                Parser.__init__(self, stream)
                BoundedComposer.__init__(self)
                Constructor.__init__(self)
                Resolver.__init__(self)

            def dispose(self) -> None:
                Parser.dispose(self)
    except ImportError:
        from yaml.parser import Parser as PyParser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class Loader(Reader, Scanner, PyParser, BoundedComposer, Constructor, Resolver):  # type: ignore[no-redef]
            def __init__(self, stream: str) -> None:
                self.lines = _Lines(stream)
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                PyParser.__init__(self)
                BoundedComposer.__init__(self)
                Constructor.__init__(self)
                Resolver.__init__(self)

            def dispose(self) -> None:
                PyParser.dispose(self)

    return Loader

"""Read user YAML safely: bounded, plain data only, every problem named by file and line.

One reader for every YAML file a user can hand to iadsim (scenarios, catalog data). Before
parsing, the file must be a regular file (a FIFO or a device is never opened), at most
:attr:`YamlLimits.max_bytes` long, and UTF-8 text. While parsing, the document is built from
the parser's events with an explicit stack (no recursion), under budgets on nesting depth and
on nodes after alias expansion (an "alias bomb" stops at the budget, not after minutes).
Only plain data is accepted: explicit tags (``!include``, ``!!python/name:``), merge keys
(``<<:``), collections or aliases as keys, duplicate keys, several documents in one file and
strings that cannot be written as UTF-8 (lone surrogates) are errors, not silent
reinterpretations. Plain scalars resolve as PyYAML's safe loader resolves them (YAML 1.1),
except that ``1e3`` is a number, as in YAML 1.2.

The limits and why each was chosen are listed in ``docs/scenarios.md`` ("Limits").
"""

from __future__ import annotations

import copy
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from iadsim.core.errors import InputError, InputIssue

PathKey = tuple[Any, ...]
"""A field path in a document: mapping keys and list indices, from the top."""


@dataclass(frozen=True)
class YamlLimits:
    """Budgets of one YAML document.

    Parameters
    ----------
    max_bytes : int
        Largest file read. The bundled scenarios are about 10 kB.
    max_depth : int
        Deepest nesting of mappings and sequences. A scenario nests 6 levels.
    max_nodes : int
        Most values (scalars, mappings, sequences) in the document, counting each use of an
        alias as a copy of what it names.
    max_number_chars : int
        Longest plain scalar read as a number (Python refuses integers over 4,300 digits).
    max_issues : int
        Problems collected before reading stops.
    """

    max_bytes: int = 1_000_000
    max_depth: int = 32
    max_nodes: int = 100_000
    max_number_chars: int = 64
    max_issues: int = 50


DEFAULT_LIMITS = YamlLimits()

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_BOOL = "tag:yaml.org,2002:bool"
_PLAIN_DATA_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class _Resolver(yaml.resolver.Resolver):
    """The safe loader's implicit types, plus YAML 1.2 exponent floats without a dot."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (about 20 times faster), else PyYAML's."""


class _StopReadingError(Exception):
    """Reading cannot go on (a budget is spent, or the structure cannot be built)."""


# -- the file ---------------------------------------------------------------------------------
def read_text(path: str | Path, limits: YamlLimits = DEFAULT_LIMITS) -> str:
    """Read a user file as UTF-8 text, refusing anything that is not a small regular file.

    The file is checked with :func:`os.stat` before it is opened (a FIFO would block the
    open), opened without blocking, checked again on the open descriptor, and read with a
    size cap (``/dev/zero`` and growing files stop at the cap).

    Parameters
    ----------
    path : str or Path
    limits : YamlLimits

    Returns
    -------
    str
        The text, without a UTF-8 byte-order mark.

    Raises
    ------
    InputError
        For a missing, unreadable, non-regular, too large, binary or non-UTF-8 file; a
        decoding error names the line of the first bad byte.
    """
    file = str(path)
    try:
        _check_regular(file, Path(path).stat(), limits)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            _check_regular(file, os.fstat(stream.fileno()), limits)
            data = stream.read(limits.max_bytes + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(file, [InputIssue("", f"cannot read the file: {reason}")]) from None
    if len(data) > limits.max_bytes:
        raise InputError(file, [_too_large(limits)])
    return decode_text(data, file)


def _check_regular(file: str, info: os.stat_result, limits: YamlLimits) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(file, [InputIssue("", "is a folder; expected a YAML file")])
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        message = f"is {kind}, not a regular file; expected a YAML file"
        raise InputError(file, [InputIssue("", message)])
    if info.st_size > limits.max_bytes:
        raise InputError(file, [_too_large(limits)])


def _too_large(limits: YamlLimits) -> InputIssue:
    return InputIssue("", f"the file is larger than the limit of {limits.max_bytes:,} bytes")


def decode_text(data: bytes, file: str) -> str:
    """Decode file contents as UTF-8 text (a leading byte-order mark is dropped).

    Raises
    ------
    InputError
        For UTF-16/32 text, binary data (NUL bytes) or bytes that are not UTF-8, with the line.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = "the file is UTF-16 or UTF-32 text; save it as UTF-8"
        raise InputError(file, [InputIssue("", message, 1)])
    nul = data.find(b"\x00")
    if nul >= 0:
        message = "the file holds NUL bytes: binary data or UTF-16 text, not UTF-8 YAML"
        raise InputError(file, [InputIssue("", message, data.count(b"\n", 0, nul) + 1)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        message = (
            f"byte 0x{byte:02X} at column {column} is not UTF-8 text (a Latin-1 or "
            "Windows-1252 file?); save the file as UTF-8"
        )
        raise InputError(file, [InputIssue("", message, line)]) from None
    return text.removeprefix("\ufeff")


# -- the document -----------------------------------------------------------------------------
def read_yaml(
    path: str | Path, limits: YamlLimits = DEFAULT_LIMITS
) -> tuple[Any, dict[PathKey, int]]:
    """Read and parse a user YAML file: :func:`read_text` then :func:`parse_yaml`."""
    return parse_yaml(read_text(path, limits), str(path), limits)


def parse_yaml(
    text: str, file: str, limits: YamlLimits = DEFAULT_LIMITS
) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML text into plain objects and a ``path -> line`` map.

    Parameters
    ----------
    text : str
    file : str
        Named in errors.
    limits : YamlLimits

    Returns
    -------
    document : dict, list, scalar or None
        None for an empty document.
    lines : dict of path to int
        1-based line of every value (of its key, for a mapping entry); values copied from an
        alias are found at the line of the alias (:func:`line_of` looks up the longest known
        prefix).

    Raises
    ------
    InputError
        With every problem found (up to ``limits.max_issues``), each with its line.
    """
    if len(text) > limits.max_bytes:
        raise InputError(file, [_too_large(limits)])
    builder = _Builder(limits)
    try:
        for event in yaml.parse(text, Loader=_PARSER):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or str(error)
        builder.issues.append(
            InputIssue("", f"YAML syntax error: {problem}", mark.line + 1 if mark else None)
        )
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"character U+{code:04X} (non-printable) is not allowed in YAML text"
        builder.issues.append(InputIssue("", message, line))
    except yaml.YAMLError as error:
        builder.issues.append(InputIssue("", f"YAML syntax error: {error}"))
    except _StopReadingError:
        pass
    if builder.issues:
        raise InputError(file, builder.issues)
    return builder.document, builder.lines


@dataclass
class _Frame:
    """A mapping or sequence being built."""

    value: dict[Any, Any] | list[Any]
    path: PathKey
    anchor: str | None
    first_node: int
    key: Any = None
    has_key: bool = False
    key_lines: dict[Any, int] = field(default_factory=dict)


class _Builder:
    """Builds plain Python data from parser events, checking as it goes."""

    def __init__(self, limits: YamlLimits):
        self.limits = limits
        self.resolver = _Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.lines: dict[PathKey, int] = {}
        self.issues: list[InputIssue] = []
        self.nodes = 0
        self.documents = 0
        self.document: Any = None

    # -- problems
    def problem(self, path: PathKey, message: str, line: int | None, stop: bool = False) -> None:
        self.issues.append(InputIssue(format_path(path), message, line))
        if stop or len(self.issues) >= self.limits.max_issues:
            raise _StopReadingError

    def count(self, nodes: int, path: PathKey, line: int) -> None:
        self.nodes += nodes
        if self.nodes > self.limits.max_nodes:
            message = (
                f"the document holds more than {self.limits.max_nodes:,} values (aliases "
                "count as copies of what they name)"
            )
            self.problem(path, message, line, stop=True)

    # -- events
    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                message = "the file holds more than one YAML document ('---'); expected one"
                self.problem((), message, line, stop=True)
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event, line)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event, line)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.start(event, line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.anchors[frame.anchor] = (frame.value, self.nodes - frame.first_node)
            self.place(frame.value, line, frame.path)

    def here(self) -> PathKey:
        """The path of the value the next event starts."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return (*frame.path, len(frame.value))
        return (*frame.path, frame.key) if frame.has_key else frame.path

    def expects_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict)

    def start(self, event: yaml.CollectionStartEvent, line: int) -> None:
        path = self.here()
        if self.expects_key() and not self.stack[-1].has_key:
            message = "a mapping or list used as a key; keys must be plain names or numbers"
            self.problem(path, message, line, stop=True)
        if event.tag is not None:
            self.problem(path, _tag_message(event.tag), line)
        if len(self.stack) >= self.limits.max_depth:
            message = f"nested more than {self.limits.max_depth} levels deep"
            self.problem(path, message, line, stop=True)
        self.count(1, path, line)
        value: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(value, path, event.anchor, self.nodes))

    def scalar(self, event: yaml.ScalarEvent, line: int) -> None:
        path = self.here()
        is_key = self.expects_key() and not self.stack[-1].has_key
        self.count(1, path, line)
        value = self.construct(event, path, line, is_key)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.place(value, line, path, is_key)

    def construct(self, event: yaml.ScalarEvent, path: PathKey, line: int, is_key: bool) -> Any:
        if event.tag is not None:
            self.problem(path, _tag_message(event.tag), line)
            return event.value
        tag = _STR
        if event.implicit[0]:
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, (True, False))
        if is_key and tag == _BOOL:
            # YAML 1.1 reads on/off/yes/no as booleans; as a key it is a field's name
            # (a jammer's ``on``), and no field of a scenario or catalog is a boolean.
            return event.value
        if tag == _MERGE and is_key:
            message = "merge keys ('<<') are not supported; write the keys out"
            self.problem(path, message, line)
        if tag not in _PLAIN_DATA_TAGS:
            if _has_surrogate(event.value):
                message = "the text holds a lone surrogate (an invalid character); remove it"
                self.problem(path, message, line)
            return event.value
        if tag in _NUMBER_TAGS and len(event.value) > self.limits.max_number_chars:
            message = f"a number of more than {self.limits.max_number_chars} characters"
            self.problem(path, message, line)
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError) as error:
            self.problem(path, f"cannot read {event.value!r}: {error}", line)
            return event.value

    def alias(self, event: yaml.AliasEvent, line: int) -> None:
        path = self.here()
        is_key = self.expects_key() and not self.stack[-1].has_key
        if is_key:
            self.problem(path, "an alias used as a key; keys must be plain names", line, True)
        if event.anchor not in self.anchors:
            message = f"alias *{event.anchor} names no finished anchor &{event.anchor} above it"
            self.problem(path, message, line, stop=True)
        value, nodes = self.anchors[event.anchor]
        self.count(nodes, path, line)
        self.place(copy.deepcopy(value), line, path)

    def place(self, value: Any, line: int, path: PathKey, is_key: bool = False) -> None:
        """Put a finished value into its parent (or make it the document)."""
        if not self.stack:
            self.document = value
            self.lines[()] = line
            return
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            frame.value.append(value)
            self.lines.setdefault(path, line)
            return
        if is_key:
            if value in frame.key_lines:
                message = f"duplicate key {value!r} (first given at line {frame.key_lines[value]})"
                self.problem((*frame.path, value), message, line)
            else:
                frame.key_lines[value] = line
            frame.key, frame.has_key = value, True
            return
        if frame.key not in frame.value:  # a duplicate keeps its first value
            frame.value[frame.key] = value
            self.lines[path] = frame.key_lines[frame.key]
        frame.has_key = False


def _tag_message(tag: str) -> str:
    return f"YAML tags such as {tag!r} are not supported; write plain values"


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# -- paths ------------------------------------------------------------------------------------
def format_path(path: PathKey) -> str:
    """``("fire_units", 0, "type")`` -> ``fire_units[0].type``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(path: PathKey, lines: dict[PathKey, int]) -> int | None:
    """Line of the deepest known prefix of ``path``."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None

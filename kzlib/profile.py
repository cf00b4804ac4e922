"""The Data Package and Table Schema v1 profiles, and where each key of a JSON text is.

The profile is the part of the v1 ``tabular-data-package`` JSON Schema that a descriptor
read by kzlib must meet (structure, names, field types, constraint types). It is checked by
a small interpreter of the JSON Schema keywords it uses (``type``, ``enum``, ``oneOf``,
``required``, ``properties``, ``items``, ``minItems``, ``uniqueItems``, ``minLength``,
``minimum``, ``pattern``): a schema compiler costs more time than every other check of the
package together. :func:`key_lines` maps every key of a JSON text to the line it is on, so a
problem can name ``FILE:LINE``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

Path_ = tuple[str | int, ...]

#: Field types of Table Schema v1.
TYPES = (
    "string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
    "year", "yearmonth", "duration", "geopoint", "geojson", "any",
)  # fmt: skip

_NAMES = {"type": "string", "pattern": "^([-a-z0-9._/])+$"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_KEYS = {"oneOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}
_LIMIT = {"oneOf": [{"type": "number"}, {"type": "string"}]}

_FIELD = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "type": {"enum": list(TYPES)},
        "format": {"type": "string"},
        "trueValues": _STRINGS,
        "falseValues": _STRINGS,
        "constraints": {
            "type": "object",
            "properties": {
                "required": {"type": "boolean"},
                "unique": {"type": "boolean"},
                "minLength": {"type": "integer", "minimum": 0},
                "maxLength": {"type": "integer", "minimum": 0},
                "minimum": _LIMIT,
                "maximum": _LIMIT,
                "pattern": {"type": "string"},
                "enum": {"type": "array", "minItems": 1, "uniqueItems": True},
            },
        },
    },
}

_SCHEMA = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {"type": "array", "minItems": 1, "items": _FIELD},
        "primaryKey": _KEYS,
        "missingValues": _STRINGS,
        "foreignKeys": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fields", "reference"],
                "properties": {
                    "fields": _KEYS,
                    "reference": {
                        "type": "object",
                        "required": ["resource", "fields"],
                        "properties": {"resource": {"type": "string"}, "fields": _KEYS},
                    },
                },
            },
        },
    },
}

_RESOURCE = {
    "type": "object",
    "required": ["name", "path", "schema"],
    "properties": {
        "name": _NAMES,
        "path": {
            "oneOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string"}}]
        },
        "profile": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "encoding": {"type": "string"},
        "schema": _SCHEMA,
    },
}

PACKAGE = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["name", "version", "resources"],
    "properties": {
        "profile": {"type": "string"},
        "name": _NAMES,
        "title": {"type": "string"},
        "description": {"type": "string"},
        "version": {"type": "string"},
        "resources": {"type": "array", "minItems": 1, "items": _RESOURCE},
    },
}


_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


Check = Callable[[Any, Path_], "tuple[Path_, str, Any] | None"]


def _compile(schema: dict[str, Any]) -> Check:
    """A function returning the first place a value breaks ``schema`` (the JSON Schema
    keywords used above), or None. Compiled once, so checking a descriptor does no keyword
    look-ups."""
    steps: list[Check] = []
    kind = schema.get("type")
    if kind is not None:
        is_kind = _JSON_TYPES[kind]
        steps.append(lambda v, p: None if is_kind(v) else (p, f"must be {kind}", v))
    if "enum" in schema:
        allowed = schema["enum"]
        steps.append(lambda v, p: None if v in allowed else (p, f"must be one of {allowed}", v))
    if "oneOf" in schema:
        options = [_compile(s) for s in schema["oneOf"]]

        def one_of(v: Any, p: Path_) -> tuple[Path_, str, Any] | None:
            if sum(check(v, p) is None for check in options) != 1:
                return p, f"a value of the wrong type ({type(v).__name__})", v
            return None

        steps.append(one_of)
    shortest = schema.get("minLength", 0)
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    if shortest or pattern is not None:

        def text(v: Any, p: Path_) -> tuple[Path_, str, Any] | None:
            if isinstance(v, str):
                if len(v) < shortest:
                    return p, f"must be longer than {shortest - 1} characters", v
                if pattern is not None and not pattern.search(v):
                    return p, f"must match pattern {pattern.pattern}", v
            return None

        steps.append(text)
    if "minimum" in schema:
        least = schema["minimum"]
        is_number = _JSON_TYPES["number"]
        steps.append(
            lambda v, p: (
                (p, f"must be bigger than or equal to {least}", v) if is_number(v) and v < least else None
            )
        )
    required = schema.get("required", [])
    properties = [(key, _compile(sub)) for key, sub in schema.get("properties", {}).items()]
    if required or properties:

        def obj(v: Any, p: Path_) -> tuple[Path_, str, Any] | None:
            if isinstance(v, dict):
                missing = [k for k in required if k not in v]
                if missing:
                    return p, f"must contain {missing} properties", v
                for key, check in properties:
                    if key in v and (bad := check(v[key], (*p, key))):
                        return bad
            return None

        steps.append(obj)
    fewest = schema.get("minItems", 0)
    unique = bool(schema.get("uniqueItems"))
    item = _compile(schema["items"]) if "items" in schema else None
    if fewest or unique or item is not None:

        def array(v: Any, p: Path_) -> tuple[Path_, str, Any] | None:
            if isinstance(v, list):
                if len(v) < fewest:
                    return p, f"must contain at least {fewest} items", v
                if unique and len(_distinct(v)) < len(v):
                    return p, "must contain unique items", v
                if item is not None:
                    for n, x in enumerate(v):
                        if bad := item(x, (*p, n)):
                            return bad
            return None

        steps.append(array)
    if len(steps) == 1:
        return steps[0]

    def check(v: Any, p: Path_) -> tuple[Path_, str, Any] | None:
        for step in steps:
            if bad := step(v, p):
                return bad
        return None

    return check


def _distinct(values: list[Any]) -> set[Any]:
    """The distinct values, compared by their JSON text (strings directly)."""
    if all(type(v) is str for v in values):
        return set(values)
    return {json.dumps(v, sort_keys=True) for v in values}


_PACKAGE_CHECK = _compile(PACKAGE)


def profile_error(descriptor: Any) -> tuple[Path_, str, Any] | None:
    """The first place where ``descriptor`` breaks the profile: (path, message, value).

    Example:
        >>> profile_error({"name": "x", "version": "1", "resources": []})[:2]
        (('resources',), 'must contain at least 1 items')
    """
    return _PACKAGE_CHECK(descriptor, ())


def dotted(path: Path_) -> str:
    """``("resources", 2, "path")`` -> ``resources[2].path``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))', re.DOTALL)


def key_lines(text: str) -> tuple[dict[Path_, int], list[tuple[Path_, int]]]:
    """Line of every key and array item of a JSON text, and every repeated key.

    Returns ``(lines, repeats)``: ``lines`` maps a path such as ``("resources", 0, "path")``
    to the line its key (or item) starts on; ``repeats`` lists (path, line) of each key
    that occurs again in the same object. Meant for text that ``json.loads`` accepts.

    Example:
        >>> key_lines('{"a": 1,\\n "b": [2,\\n 3], "a": 4}')[1]
        [(('a',), 3)]
    """
    breaks = [m.start() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        return bisect_right(breaks, pos - 1) + 1

    lines: dict[Path_, int] = {}
    repeats: list[tuple[Path_, int]] = []
    # stack of [path, container kind, next index or current key, keys seen]
    stack: list[list[Any]] = []
    expecting_key = False
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        pos = m.end()
        string, punct = m.group(1), m.group(2)
        start = m.start(1) if string else (m.start(2) if punct else m.start(3))
        if not (string or punct or m.group(3)):
            break
        top = stack[-1] if stack else None
        if punct in ("{", "["):
            path = _value_path(top)
            if top is not None and top[1] == "[":
                lines.setdefault(path, line(start))
            stack.append([path, punct, 0 if punct == "[" else None, set()])
            expecting_key = punct == "{"
        elif punct in ("}", "]"):
            stack.pop()
        elif punct == ",":
            if top is not None and top[1] == "[":
                top[2] += 1
            expecting_key = top is not None and top[1] == "{"
        elif punct == ":":
            expecting_key = False
        elif top is not None and top[1] == "{" and expecting_key and string:
            key = json.loads(string)
            path = (*top[0], key)
            if key in top[3]:
                repeats.append((path, line(start)))
            else:
                lines[path] = line(start)
            top[3].add(key)
            top[2] = key
        elif top is not None and top[1] == "[":
            lines.setdefault((*top[0], top[2]), line(start))
    return lines, repeats


def _value_path(top: list[Any] | None) -> Path_:
    if top is None:
        return ()
    return (*top[0], top[2])


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """Line of ``path``, or of its nearest enclosing key that has one (1 for the top)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1

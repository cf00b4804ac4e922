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


def _first_error(value: Any, schema: dict[str, Any], path: Path_) -> tuple[Path_, str, Any] | None:
    """The first place ``value`` breaks ``schema`` (the JSON Schema keywords used above)."""
    kind = schema.get("type")
    if kind is not None and not _JSON_TYPES[kind](value):
        return path, f"must be {kind}", value
    if "enum" in schema and value not in schema["enum"]:
        return path, f"must be one of {schema['enum']}", value
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if _first_error(value, s, path) is None]
        if len(matches) != 1:
            return path, f"a value of the wrong type ({type(value).__name__})", value
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return path, f"must be longer than {schema['minLength'] - 1} characters", value
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return path, f"must match pattern {schema['pattern']}", value
    if _JSON_TYPES["number"](value) and "minimum" in schema and value < schema["minimum"]:
        return path, f"must be bigger than or equal to {schema['minimum']}", value
    if isinstance(value, dict):
        missing = [k for k in schema.get("required", []) if k not in value]
        if missing:
            return path, f"must contain {missing} properties", value
        for key, sub in schema.get("properties", {}).items():
            if key in value and (bad := _first_error(value[key], sub, (*path, key))):
                return bad
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return path, f"must contain at least {schema['minItems']} items", value
        if schema.get("uniqueItems") and len({json.dumps(v, sort_keys=True) for v in value}) < len(value):
            return path, "must contain unique items", value
        if "items" in schema:
            for n, item in enumerate(value):
                if bad := _first_error(item, schema["items"], (*path, n)):
                    return bad
    return None


def profile_error(descriptor: Any) -> tuple[Path_, str, Any] | None:
    """The first place where ``descriptor`` breaks the profile: (path, message, value).

    Example:
        >>> profile_error({"name": "x", "version": "1", "resources": []})[:2]
        (('resources',), 'must contain at least 1 items')
    """
    return _first_error(descriptor, PACKAGE, ())


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

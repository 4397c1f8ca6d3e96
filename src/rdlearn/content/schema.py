"""The shape of every data file, declared once as a JSON Schema in ``content/schemas/``.

:func:`validate` checks data read from ``data/`` against its schema and raises
:class:`~rdlearn.content.loader.ContentError` with a message for a facilitator: the file, the
place (``slide 8 (prevalence-survey), key 'body'``) and what is wrong in plain words. Checks
that a schema cannot express (cross-references between files, numbers in text) stay in small
functions beside the loaders.

Three annotations, ignored by other JSON Schema tools, shape the messages:

``x-where``
    How an entry is named in a message: a template, or a list of templates tried in turn,
    filled with ``n`` (the entry's place in a list, from 1), ``key`` (its key in a mapping),
    ``parent`` (the key of the list or mapping holding it) and the entry's own fields, e.g.
    ``["slide {n} ({id})", "slide {n}"]``. The name stands for the list's key too.
``x-keys``
    How the keys of a mapping are named when a message is about one of them: a template with
    ``key`` (``"key '{key}'"`` unless given; an empty text leaves the key out).
``x-messages``
    Messages by JSON Schema keyword, templates filled with ``key``, ``value``, ``limit``,
    ``missing``, ``extra``, ``allowed`` and ``choices``, e.g.
    ``{exclusiveMinimum: "must be a number of minutes above 0"}``.

Examples
--------
>>> data = validate({"questions": []}, "quiz", file="quiz.yaml")
>>> validate({"questions": "none"}, "quiz", file="quiz.yaml")
Traceback (most recent call last):
...
rdlearn.content.errors.ContentError: data file quiz.yaml, key 'questions': expected a list
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # imported when a file is first checked: it costs a process 20 MB and 1 s
    import jsonschema

from rdlearn.content.errors import ContentError

__all__ = ["SCHEMA_DIR", "schema_names", "load_schema", "validate", "problems", "duplicates"]

#: The folder of the schema files, one per kind of data file: ``<name>.yaml``.
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "nothing",
}

_DEFAULT_MESSAGES = {
    "required": "'{missing}' is missing",
    "additionalProperties": "unknown key(s): {extra}",
    "unevaluatedProperties": "unknown key(s): {extra}",
    "enum": "must be one of {choices}",
    "const": "must be {limit}",
    "pattern": "{value!r} is not in the expected form",
    "minItems": "give at least {limit}",
    "maxItems": "give at most {limit}",
    "minProperties": "give at least {limit}",
    "minimum": "must be {limit} or more",
    "maximum": "must be {limit} or less",
    "exclusiveMinimum": "must be above {limit}",
    "exclusiveMaximum": "must be below {limit}",
    "minLength": "must not be empty",
    "maxLength": "must be at most {limit} characters",
    "uniqueItems": "{extra} is listed twice",
    "not": "is not allowed here",
}

# Keywords whose value is one sub-schema for the same instance, or a list of them.
_SAME_PLACE = {"allOf", "anyOf", "oneOf", "then", "else", "if", "not", "$ref", "dependentSchemas"}
# Keywords whose sub-schema applies to a child of the instance.
_CHILD_ONE = {"items", "additionalProperties", "unevaluatedProperties", "contains"}
_CHILD_NAMED = {"properties", "patternProperties", "prefixItems"}


def schema_names() -> list[str]:
    """The names of every declared schema (file names in ``content/schemas/`` without suffix).

    >>> "keynote" in schema_names()
    True
    """
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))


@functools.cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    path = SCHEMA_DIR / f"{name}.yaml"
    if not path.is_file():
        raise KeyError(f"there is no schema {name!r}; the schemas are {', '.join(schema_names())}")
    import jsonschema

    schema = yaml.safe_load(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


def load_schema(name: str) -> dict:
    """The schema named ``name`` (e.g. ``"keynote"``) as a plain dict."""
    return _validator(name).schema


def _resolve(schema: Any, root: Mapping) -> Any:
    """Follow a local ``$ref`` (``#/$defs/...``) to the schema it names."""
    seen = 0
    while isinstance(schema, Mapping) and "$ref" in schema and seen < 20:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part] if part else target
        schema = target
        seen += 1
    return schema


def _step(schema: Any, key: Any, root: Mapping) -> Any:
    """The sub-schema under ``key``, following ``$ref`` when ``key`` is not written here."""
    if isinstance(schema, Mapping) and key in schema:
        return schema[key]
    if isinstance(schema, list) and isinstance(key, int):
        return schema[key]
    return _resolve(schema, root)[key]


def _hints(error: jsonschema.ValidationError, root: Mapping) -> tuple[list[Any], Any]:
    """For each step of the error's data path, the schema of that child; and the last schema.

    The schema path is walked keyword by keyword; each keyword that moves to a child of the
    instance (``properties``, ``items``, ...) records the sub-schema that names that child.
    """
    children: list[Any] = []
    schema: Any = root
    steps = list(error.absolute_schema_path)
    i = 0
    while i < len(steps) - 1:
        keyword = steps[i]
        if isinstance(schema, Mapping) and keyword not in schema and "$ref" in schema:
            schema = _resolve(schema, root)
            continue
        if keyword in _CHILD_NAMED:
            schema = _step(_step(schema, keyword, root), steps[i + 1], root)
            children.append(schema)
            i += 2
        elif keyword in _CHILD_ONE:
            schema = _step(schema, keyword, root)
            children.append(schema)
            i += 1
        elif keyword in _SAME_PLACE:
            schema = _step(schema, keyword, root)
            i += 1
            if isinstance(schema, list):
                schema = schema[steps[i]]
                i += 1
        else:
            break
    return children, schema


def _annotation(schema: Any, name: str, root: Mapping) -> Any:
    """An ``x-`` annotation written on ``schema`` or on the schema its ``$ref`` names."""
    while isinstance(schema, Mapping):
        if name in schema:
            return schema[name]
        if "$ref" not in schema:
            return None
        schema = _resolve({"$ref": schema["$ref"]}, root)
    return None


def _messages(schema: Any, root: Mapping) -> dict[str, str]:
    """The ``x-messages`` of ``schema`` merged with those of the schemas its ``$ref`` names."""
    chain = []
    while isinstance(schema, Mapping):
        chain.append(schema.get("x-messages") or {})
        if "$ref" not in schema:
            break
        schema = _resolve({"$ref": schema["$ref"]}, root)
    merged: dict[str, str] = {}
    for messages in reversed(chain):
        merged.update(messages)
    return merged


def _name(templates: Any, fields: Mapping[str, Any]) -> str | None:
    for template in [templates] if isinstance(templates, str) else list(templates or []):
        try:
            return template.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return None


def _fields(instance: Any, step: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if isinstance(instance, Mapping):
        fields.update({str(k): v for k, v in instance.items()
                       if isinstance(v, (str, int, float)) and not isinstance(v, bool)})
    if isinstance(step, int):
        fields["n"] = step + 1
    fields["key"] = step
    return fields


def _place(data: Any, path: list[Any], children: list[Any], root: Mapping,
           *, leaf: bool) -> str:
    """A readable place for ``path`` in ``data``: ``"format one-day, day 1, block 2 (welcome)"``.

    ``leaf`` says the message is about the value at the end of ``path``, so a final mapping
    key is named as a key (``key 'minutes'``) rather than as a part of the file.
    """
    parts: list[str] = []
    bare = False  # whether the last part is a mapping key written as it is ("scale")
    keys_of: Any = _annotation(root, "x-keys", root)
    instance = data
    for depth, step in enumerate(path):
        parent_keys = keys_of
        instance = instance[step] if instance is not None else None
        child = children[depth] if depth < len(children) else None
        fields = _fields(instance, step)
        fields["parent"] = path[depth - 1] if depth else ""
        named = _name(_annotation(child, "x-where", root), fields)
        keys_of = _annotation(child, "x-keys", root)
        last = depth == len(path) - 1
        if named is not None:
            # A named entry stands for its list or mapping: "slide 8 (x)", not "slides, ...".
            if bare:
                parts.pop()
            if named:
                parts.append(named)
            bare = False
        elif isinstance(step, int):
            if bare:
                parts[-1] = f"{parts[-1]} item {step + 1}"
            else:
                parts.append(f"item {step + 1}")
            bare = False
        elif last and leaf:
            template = "key '{key}'" if parent_keys is None else parent_keys
            if template:
                parts.append(template.format(key=step))
            bare = False
        else:
            parts.append(str(step))
            bare = True
    return ", ".join(parts) or "top level"


def _listing(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values)


def _explain(error: jsonschema.ValidationError, data: Any, root: Mapping) -> tuple[str, str]:
    """The place and the plain-words problem of one schema error."""
    children, schema = _hints(error, root)
    path = list(error.absolute_path)
    keyword = error.validator
    value = error.instance
    fields: dict[str, Any] = {"value": value, "limit": error.validator_value,
                              "key": path[-1] if path else "", "missing": "", "extra": "",
                              "allowed": "", "choices": ""}
    leaf = True
    if keyword == "type" and value is None and path and isinstance(path[-1], str):
        # ``title:`` with nothing after it reads as a missing title.
        keyword, fields["missing"], path, leaf = "required", path[-1], path[:-1], False
        children = children[:len(path)]
        schema = children[-1] if children else root
    elif keyword == "required":
        fields["missing"] = next(
            (k for k in error.validator_value if k not in (value or {})), "")
        leaf = False
    elif keyword in {"additionalProperties", "unevaluatedProperties"}:
        target = _resolve(schema, root)
        allowed = set(target.get("properties", {})) if isinstance(target, Mapping) else set()
        extra = sorted(str(k) for k in value if k not in allowed)
        fields["extra"] = _listing(extra)
        fields["allowed"] = _listing(sorted(allowed))
        leaf = False
    elif keyword == "enum":
        fields["choices"] = _listing(error.validator_value)
    elif keyword == "uniqueItems":
        fields["extra"] = _listing(duplicates(value))
    messages = _messages(schema, root)
    if keyword == "required" and "required" not in messages:
        messages = {}
    template = messages.get(keyword)
    if template is None and keyword == "type":
        wanted = error.validator_value
        words = [_TYPE_WORDS.get(t, t) for t in ([wanted] if isinstance(wanted, str) else wanted)]
        template = "expected " + " or ".join(words)
    if template is None:
        template = _DEFAULT_MESSAGES.get(keyword, "is not valid here")
    if keyword == "minItems" and error.validator_value == 1 and keyword not in messages:
        template = "must not be empty"
    try:
        problem = template.format(**fields)
    except (KeyError, IndexError, ValueError):
        problem = template
    return _place(data, path, children, root, leaf=leaf), problem


def _order(data: Any, path: Iterable[Any]) -> tuple:
    """Where a place comes in the file: the position of each key or item on its path."""
    order = []
    instance = data
    for step in path:
        if isinstance(instance, Mapping):
            order.append(list(instance).index(step) if step in instance else 0)
        else:
            order.append(step if isinstance(step, int) else 0)
        try:
            instance = instance[step]
        except (KeyError, IndexError, TypeError):
            instance = None
    return tuple(order)


def problems(data: Any, schema_name: str) -> list[tuple[str, str]]:
    """Every way ``data`` breaks the schema, as ``(place, problem)``, in file order.

    >>> problems({"questions": [{"id": "a-b"}]}, "quiz")[0]
    ("question 'a-b'", "'session' is missing")
    """
    validator = _validator(schema_name)
    root = validator.schema
    errors = sorted(
        validator.iter_errors(data),
        key=lambda e: (_order(data, e.absolute_path), len(e.absolute_path)),
    )
    return [_explain(error, data, root) for error in errors]


#: The data already found to pass (by :func:`_fingerprint`), in this process.
_PASSED: set[str] = set()


@functools.cache
def _schema_bytes(name: str) -> bytes:
    path = SCHEMA_DIR / f"{name}.yaml"
    return path.read_bytes() if path.is_file() else b""


def _fingerprint(data: Any, schema_name: str) -> str | None:
    """A digest of the data and its schema (types kept apart), or ``None`` if not JSON-like."""
    try:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False,
                          default=lambda o: f"<{type(o).__name__}>{o}")
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(_schema_bytes(schema_name))
    digest.update(b"\0" + schema_name.encode() + b"\0" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _passed_dir() -> Path:
    """Where verdicts are kept for other processes: ``$RDLEARN_CACHE_DIR``, or the user's cache."""
    given = os.environ.get("RDLEARN_CACHE_DIR")
    if given:
        return Path(given) / "schema-checks"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rdlearn" / "schema-checks"


def _known_to_pass(key: str | None) -> bool:
    if key is None:
        return False
    if key in _PASSED:
        return True
    try:
        found = (_passed_dir() / key).is_file()
    except OSError:
        return False
    if found:
        _PASSED.add(key)
    return found


def _remember_passed(key: str | None) -> None:
    if key is None:
        return
    _PASSED.add(key)
    folder = _passed_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{key}.{os.getpid()}"
        partial.write_bytes(b"")
        os.replace(partial, folder / key)
    except OSError:  # a read-only home: each process checks for itself
        pass


def validate(data: Any, schema_name: str, *, file: str) -> Any:
    """Check ``data`` (read from the data file ``file``) against its schema; return it unchanged.

    Raises :class:`~rdlearn.content.loader.ContentError` for the first problem in file order,
    naming ``file``, the place and what is wrong.

    The same data checked against the same schema passes again without being checked: each
    of a room's forty kernels would otherwise import the checker and check every file (1.2 s
    and 20 MB each). ``rdlearn serve`` checks all the content before it starts any kernel,
    and the verdicts (digests of what passed, no content) are kept in the user's cache.
    """
    key = _fingerprint(data, schema_name)
    if _known_to_pass(key):
        return data
    found = problems(data, schema_name)
    if found:
        where, problem = found[0]
        raise ContentError(file, where, problem)
    _remember_passed(key)
    return data


def duplicates(values: Iterable[Any]) -> list[Any]:
    """The values that occur more than once, in the order of their second occurrence.

    >>> duplicates(["a", "b", "a", "c", "b", "a"])
    ['a', 'b']
    """
    seen: list[Any] = []
    twice: list[Any] = []
    for value in values:
        if value in seen and value not in twice:
            twice.append(value)
        seen.append(value)
    return twice

"""Check gateway requests against Cal.com's API v2 OpenAPI spec.

``check_request(method, path, query, headers, body)`` takes one request as the gateway
sees it after the ``/cal-com`` prefix (``path`` starts with ``/v2/``) and returns a list of
human-readable violations (empty when the request conforms):

- the path matches a template of the spec and the method exists on it; literal segments
  win over parameters (``/v2/schedules/default`` is not ``/v2/schedules/{scheduleId}``);
- path parameters declared ``number`` are numeric;
- required query parameters are present, unknown ones are flagged, values of typed
  parameters (number, enum, array of enum given comma-separated or repeated) are checked;
- required headers are present; ``cal-api-version`` must equal the version the spec
  documents ("Must be set to 2024-08-13"); ``Authorization`` counts as satisfied by the
  Maton bearer key (the gateway swaps it for the user's OAuth token);
- a JSON body is validated with jsonschema against the operation's requestBody schema.

The spec is NestJS-generated and needs a little interpretation, done once at load:
OpenAPI 3.0 ``nullable`` becomes a JSON-Schema null type; ``oneOf`` is read as ``anyOf``
(the spec's alternatives overlap, e.g. booking inputs, and real discrimination is by
``type`` fields documented only in prose); ``enum`` on an ``array`` node moves to its
items; a ``string`` property documented with an array example and an ``enum`` (webhook
``triggers``) is an array of that enum. Unknown body properties are flagged: Cal.com
strips them silently (``whitelist: true``), so a client that sends them has a bug.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.reference import REFERENCE

_SPEC_URI = "urn:calcom-v2-openapi"
_METHODS = ("get", "post", "put", "patch", "delete")
_VERSION_RE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_ONLY_VALUE_RE = re.compile(
    r"only allowed value for (?:the )?`?type`? (?:property )?is `([^`]+)`", re.I
)


def _spec_file() -> Path:
    return REFERENCE / "calcom-v2-openapi.json"


def _fix_schema(node: Any, strict: bool = True) -> Any:
    """Rewrite one spec's schemas into Draft 2020-12 as the server means them.

    ``strict``: flag unknown object properties (requests); responses may carry more.
    """
    if isinstance(node, list):
        return [_fix_schema(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _fix_schema(v, strict) for k, v in node.items()}
    if "$ref" in out:
        out["$ref"] = _SPEC_URI + out["$ref"]
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    typ = out.get("type")
    if typ == "object" and not ({"properties", "additionalProperties", "allOf"} & out.keys()):
        example = out.get("example")
        if not strict or (example is not None and not isinstance(example, dict)):
            out.pop("type")  # NestJS writes "object" for unions and literals (isDefault: true)
            typ = None
    if typ == "array" and "enum" in out:
        enum = out.pop("enum")
        items = out.setdefault("items", {})
        if isinstance(items, dict):
            items.setdefault("enum", enum)
    if typ == "string" and "enum" in out and isinstance(out.get("example"), list):
        out = {"type": "array", "items": {"type": "string", "enum": out["enum"]}}
        typ = "array"
    if out.pop("nullable", False):
        if isinstance(typ, str):
            out["type"] = [typ, "null"]
        elif "allOf" in out or "$ref" in out or "anyOf" in out:
            inner = {k: out.pop(k) for k in ("allOf", "$ref", "anyOf") if k in out}
            out["anyOf"] = [inner, {"type": "null"}]
    if (
        strict
        and typ in ("object", None)
        and "properties" in out
        and "additionalProperties" not in out
    ):
        out["unevaluatedProperties"] = False  # unknown properties are flagged
    only = _ONLY_VALUE_RE.search(str(out.get("description") or ""))
    if only and out.get("type") == "string":
        out["const"] = only.group(1)  # discriminators documented only in prose
    pattern = out.get("pattern")
    if isinstance(pattern, str):
        if pattern == "TIME_FORMAT_HH_MM":  # a constant's name leaked into the spec
            out["pattern"] = r"^([01]\d|2[0-3]):[0-5]\d$"
        elif len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
            out["pattern"] = pattern[1:-1]  # a JavaScript regex literal
    out.pop("example", None)
    out.pop("examples", None)
    return out


class _Spec:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.registries: dict[bool, Registry] = {}
        for strict in (True, False):
            fixed = {"components": _fix_schema(raw.get("components", {}), strict)}
            resource = Resource.from_contents(fixed, default_specification=DRAFT202012)
            self.registries[strict] = Registry().with_resource(_SPEC_URI, resource)
        self.operations: list[tuple[str, re.Pattern[str], int, str, dict[str, Any]]] = []
        for template, item in raw["paths"].items():
            segments = template.strip("/").split("/")
            literal = sum(1 for s in segments if not s.startswith("{"))
            pattern = "^/" + "/".join(
                f"(?P<{s[1:-1]}>[^/]+)" if s.startswith("{") else re.escape(s) for s in segments
            )
            regex = re.compile(pattern + "/?$")
            shared = item.get("parameters", [])
            for method in _METHODS:
                if method in item:
                    op = dict(item[method])
                    op["parameters"] = shared + op.get("parameters", [])
                    self.operations.append((method.upper(), regex, literal, template, op))
        # more literal segments first, then longer templates
        self.operations.sort(key=lambda o: (-o[2], -len(o[3])))
        self._validators: dict[tuple[str, str], Draft202012Validator | None] = {}

    def match(self, method: str, path: str) -> tuple[str | None, dict[str, Any] | None, dict]:
        """Return (template, operation, path params); template without op = wrong method."""
        found_template = None
        for op_method, regex, _lit, template, op in self.operations:
            m = regex.match(path)
            if not m:
                continue
            if op_method == method.upper():
                return template, op, m.groupdict()
            found_template = found_template or template
        return found_template, None, {}

    def body_validator(self, method: str, template: str, op: dict) -> Draft202012Validator | None:
        key = (method, template)
        if key not in self._validators:
            content = (op.get("requestBody") or {}).get("content", {})
            schema = (content.get("application/json") or {}).get("schema")
            if schema is None:
                self._validators[key] = None
            else:
                fixed = _fix_schema(schema)
                self._validators[key] = Draft202012Validator(fixed, registry=self.registries[True])
        return self._validators[key]

    def response_validator(
        self, method: str, template: str, op: dict, status: int
    ) -> Draft202012Validator | None:
        key = (f"{method} {status}", template)
        if key not in self._validators:
            response = op.get("responses", {}).get(str(status)) or {}
            schema = (response.get("content", {}).get("application/json") or {}).get("schema")
            validator = None
            if schema is not None:
                fixed = _fix_schema(schema, strict=False)
                validator = Draft202012Validator(fixed, registry=self.registries[False])
            self._validators[key] = validator
        return self._validators[key]


@lru_cache(maxsize=1)
def load_spec() -> _Spec:
    """The parsed spec, loaded once per process."""
    with _spec_file().open(encoding="utf-8") as fh:
        return _Spec(json.load(fh))


def documented_version(method: str, path: str) -> str | None:
    """The ``cal-api-version`` the spec requires for this request, if any."""
    _template, op, _params = load_spec().match(method, path)
    if op is None:
        return None
    for param in op["parameters"]:
        if param.get("in") == "header" and param.get("name", "").lower() == "cal-api-version":
            return _documented_value(param)
    return None


def _documented_value(param: dict[str, Any]) -> str | None:
    default = (param.get("schema") or {}).get("default")
    if default:
        return str(default)
    m = _VERSION_RE.search(param.get("description") or "")
    return m.group(1) if m else None


def _check_scalar(name: str, value: str, schema: dict[str, Any]) -> str | None:
    typ = schema.get("type")
    enum = schema.get("enum")
    if typ == "array":
        items = schema.get("items") or {}
        for part in value.split(","):
            problem = _check_scalar(name, part.strip(), items)
            if problem:
                return problem
        return None
    if typ in ("number", "integer"):
        try:
            number = float(value)
        except ValueError:
            return f"query parameter {name}={value!r} is not a number"
        if typ == "integer" and not number.is_integer():
            return f"query parameter {name}={value!r} is not an integer"
        if "minimum" in schema and number < schema["minimum"]:
            return f"query parameter {name}={value!r} is below the minimum {schema['minimum']}"
        if "maximum" in schema and number > schema["maximum"]:
            return f"query parameter {name}={value!r} is above the maximum {schema['maximum']}"
    if typ == "boolean" and value not in ("true", "false"):
        return f"query parameter {name}={value!r} is not a boolean"
    if enum and value not in enum:
        return f"query parameter {name}={value!r} is not one of {enum}"
    return None


def _format_errors(err: Any) -> list[str]:
    """Messages for one validation error; for anyOf, those of the closest alternative."""
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    if err.validator == "unevaluatedProperties":
        return [f"body {where}: unknown property ({err.message})"]
    if err.validator == "anyOf" and err.context:
        branches: dict[Any, list[Any]] = {}
        for sub in err.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        closest = min(branches.items(), key=lambda kv: (len(kv[1]), str(kv[0])))[1]
        return [m for sub in closest for m in _format_errors(sub)]
    return [f"body {where}: {err.message}"]


def check_request(
    method: str,
    path: str,
    query: dict[str, Any] | None,
    headers: dict[str, str] | None,
    body: Any,
) -> list[str]:
    """Validate one gateway request (path after ``/cal-com``); return violations."""
    spec = load_spec()
    method = method.upper()
    query = query or {}
    lower_headers = {k.lower(): v for k, v in (headers or {}).items()}
    label = f"{method} {path}"
    template, op, path_params = spec.match(method, path)
    if template is None:
        return [f"{label}: no such path in the Cal.com v2 spec"]
    if op is None:
        return [f"{label}: method {method} is not defined for {template}"]

    problems: list[str] = []
    known_query: set[str] = set()
    for param in op["parameters"]:
        where, name = param.get("in"), param.get("name", "")
        schema = param.get("schema") or {}
        if where == "path":
            value = path_params.get(name)
            if value is not None and schema.get("type") == "number":
                try:
                    float(value)
                except ValueError:
                    problems.append(f"path parameter {name}={value!r} is not a number")
        elif where == "query":
            known_query.add(name)
            if name not in query:
                if param.get("required"):
                    problems.append(f"missing required query parameter {name!r}")
                continue
            values = query[name] if isinstance(query[name], list) else [query[name]]
            for value in values:
                problem = _check_scalar(name, str(value), schema)
                if problem:
                    problems.append(problem)
        elif where == "header":
            lname = name.lower()
            if lname == "authorization":
                if "authorization" not in lower_headers:
                    problems.append("missing Authorization header (the Maton bearer key)")
                continue
            if lname == "cal-api-version":
                wanted = _documented_value(param)
                got = lower_headers.get(lname)
                if got is None:
                    if param.get("required"):
                        problems.append(f"missing header cal-api-version (must be {wanted})")
                elif wanted and got != wanted:
                    problems.append(f"header cal-api-version is {got!r}, the spec says {wanted}")
                continue
            if param.get("required") and lname not in lower_headers:
                problems.append(f"missing required header {name!r}")
    for name in query:
        if name not in known_query:
            problems.append(f"unknown query parameter {name!r}")

    request_body = op.get("requestBody")
    if request_body is not None:
        if body is None:
            if request_body.get("required"):
                problems.append("missing required JSON body")
        else:
            validator = spec.body_validator(method, template, op)
            if validator is not None:
                errors = sorted(validator.iter_errors(copy.deepcopy(body)), key=str)
                for error in errors:
                    problems.extend(_format_errors(error))
    elif body not in (None, {}, b"", ""):
        problems.append("this operation takes no request body")
    return [f"{label}: {p}" for p in problems]


def check_response(method: str, path: str, status: int, body: Any) -> list[str]:
    """Validate a success answer against the operation's documented response schema.

    Lenient about extra properties. For the emulator's own tests: its answers should be
    what the spec promises, so a client built against it works against Cal.com.
    """
    spec = load_spec()
    template, op, _params = spec.match(method.upper(), path)
    if op is None or template is None:
        return [f"{method} {path}: not in the spec"]
    validator = spec.response_validator(method.upper(), template, op, status)
    if validator is None:
        documented = sorted(op.get("responses", {}))
        if str(status) in documented:
            return []
        return [f"{method} {path}: status {status} is not documented ({documented})"]
    errors = sorted(validator.iter_errors(copy.deepcopy(body)), key=str)
    return [
        f"{method} {path} -> {status}: {m.replace('body ', 'response ', 1)}"
        for e in errors
        for m in _format_errors(e)
    ]


__all__ = ["check_request", "check_response", "documented_version", "load_spec"]

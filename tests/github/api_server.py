"""A local GitHub REST API for the tests, held to GitHub's own contract.

The server is real HTTP (``ThreadingHTTPServer`` on 127.0.0.1, a free port, one thread)
and every request it sees is checked against GitHub's official OpenAPI description
(npm ``@octokit/openapi``, ``generated/api.github.com.deref.json``):

- the method and path must match one of the description's path templates, and the path
  parameters must fit their schemas (``issues/abc/comments`` is not an issue number);
- declared query parameters must fit their schemas, required ones must be there;
- a JSON body must validate against the operation's ``requestBody`` schema.

A request that breaks the contract is a **violation**: it is recorded in ``.violations``
and answered as GitHub would (404 for an unknown path, method or path parameter, 400 for
a body that is not JSON, 422 for a body or query that fails its schema). The pytest
fixture fails the test at teardown when any violation happened.

Answers are shaped by the operation's response schema: the description's example (and,
where a recorded real response from npm ``@octokit/fixtures`` fits, that recording laid
over it) is repaired until it conforms, ``https://api.github.com`` in it is pointed at
this server, and the server's state (ids, bodies, URLs) is laid on top. Every answer
with a documented status is validated against its schema again before it is sent; a
failure there is a violation too (of the server itself), so the server cannot drift from
the contract silently.

The description is OpenAPI 3.0. Its schemas are translated to JSON Schema 2020-12 before
``jsonschema`` sees them (``nullable``, boolean ``exclusiveMinimum``/``exclusiveMaximum``,
``readOnly`` properties in requests, ``writeOnly`` in responses; ``example``,
``discriminator``, ``xml`` and ``x-*`` dropped) -- once per schema, cached.

Failure on purpose: ``fail_next`` (5xx or any status), ``rate_limit`` (403/429 with
``x-ratelimit-remaining: 0``, ``x-ratelimit-reset`` and optionally ``retry-after``),
``delay_next`` (answer late, e.g. after the client's timeout), ``down``/``up`` (refuse
connections: the listener is closed and open connections are cut).
"""

from __future__ import annotations

import copy
import email.utils
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from jsonschema import Draft202012Validator, FormatChecker

REPO_ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION_PATH = REPO_ROOT / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.deref.json"
FIXTURES_DIR = REPO_ROOT / "node_modules" / "@octokit" / "fixtures" / "scenarios" / "api.github.com"

GITHUB_API = "https://api.github.com"
GITHUB_WEB = "https://github.com"
DOCS = "https://docs.github.com/rest"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


# --------------------------------------------------------------------------------------
# OpenAPI 3.0 schema -> JSON Schema 2020-12
# --------------------------------------------------------------------------------------

_DROPPED_KEYWORDS = {"example", "examples", "discriminator", "xml", "externalDocs", "deprecated",
                     "description", "title", "nullable"}
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_ONE = ("items", "not")


def to_json_schema(schema: Any, direction: str = "response") -> Any:
    """Translate one OpenAPI 3.0 Schema Object into JSON Schema 2020-12.

    ``direction`` is "request" or "response": OpenAPI's ``readOnly`` properties are not
    required in a request, ``writeOnly`` ones not in a response.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROPPED_KEYWORDS or key.startswith("x-"):
            continue
        if key in _SCHEMA_MAPS:
            out[key] = {name: to_json_schema(sub, direction) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [to_json_schema(sub, direction) for sub in value]
        elif key in _SCHEMA_ONE or (key == "additionalProperties" and isinstance(value, dict)):
            out[key] = to_json_schema(value, direction)
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value is True and bound in schema:
                out[key] = schema[bound]
            elif not isinstance(value, bool):
                out[key] = value
        else:
            out[key] = value
    for key in ("exclusiveMinimum", "exclusiveMaximum"):
        bound = "minimum" if key == "exclusiveMinimum" else "maximum"
        if schema.get(key) is True:
            out.pop(bound, None)
    if "required" in out and isinstance(schema.get("properties"), dict):
        skip = "readOnly" if direction == "request" else "writeOnly"
        props = schema["properties"]
        out["required"] = [name for name in out["required"]
                           if not (isinstance(props.get(name), dict) and props[name].get(skip) is True)]
    if schema.get("nullable") is True:
        simple = not any(key in out for key in (*_SCHEMA_LISTS, "not"))
        if simple and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        elif simple and "type" not in out and "enum" not in out:
            pass  # no type: null is allowed already
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
FORMATS = FormatChecker()


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC3339.match(value))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("mailto", "urn", "data"))


class SchemaCache:
    """Validators and synthesized values per schema node, built once.

    The cache keeps a reference to each node it saw, so ``id(node)`` stays unique.
    """

    def __init__(self) -> None:
        self._validators: dict[tuple[int, str], tuple[Any, Draft202012Validator]] = {}
        self._lock = threading.Lock()

    def validator(self, schema: Any, direction: str = "response") -> Draft202012Validator:
        key = (id(schema), direction)
        hit = self._validators.get(key)
        if hit is None or hit[0] is not schema:
            hit = (schema, Draft202012Validator(to_json_schema(schema, direction), format_checker=FORMATS))
            with self._lock:
                self._validators[key] = hit
        return hit[1]

    def errors(self, schema: Any, value: Any, direction: str = "response") -> list[str]:
        found = sorted(self.validator(schema, direction).iter_errors(value), key=lambda e: list(e.absolute_path))
        return [_error_line(e) for e in found]

    def valid(self, schema: Any, value: Any) -> bool:
        return self.validator(schema).is_valid(value)

    # -- building conforming values ----------------------------------------------------

    def synth(self, s: Any, depth: int = 0) -> Any:
        """A small value that conforms to ``s``: its example, default or first enum value,
        else the required properties, synthesized."""
        if not isinstance(s, dict) or not s:
            return None
        if depth > 12 and s.get("nullable"):
            return None
        for key in ("example", "default"):
            if key in s and self.valid(s, s[key]):
                return copy.deepcopy(s[key])
        if "enum" in s:
            return next((v for v in s["enum"] if v is not None), None)
        for key in ("oneOf", "anyOf"):
            if key in s:
                for sub in s[key]:
                    candidate = self.synth(sub, depth + 1)
                    if self.valid(s, candidate):
                        return candidate
                return self.synth(s[key][0], depth + 1)
        base: Any = None
        if "allOf" in s:
            for sub in s["allOf"]:
                part = self.synth(sub, depth + 1)
                base = _deep_merge(base, part) if isinstance(base, dict) and isinstance(part, dict) else part
        kind = s.get("type") or ("object" if "properties" in s or "required" in s else None)
        if kind == "object":
            out = dict(base) if isinstance(base, dict) else {}
            props = s.get("properties") or {}
            for name in s.get("required", []):
                if name not in out:
                    out[name] = self.synth(props.get(name, {}), depth + 1)
            return out
        if base is not None:
            return base
        if kind == "array":
            return [self.synth(s.get("items", {}), depth + 1) for _ in range(s.get("minItems", 0))]
        if kind == "string":
            fmt = s.get("format")
            text = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "uri": "https://example.com/",
                    "email": "octocat@example.com", "uuid": "00000000-0000-4000-8000-000000000000"}.get(fmt, "string")
            return text.ljust(s.get("minLength", 0), "x")
        if kind in ("integer", "number"):
            low = s.get("minimum", 1)
            value = max(low, 1) if s.get("maximum", 1) >= 1 else low
            return int(value) if kind == "integer" else float(value)
        if kind == "boolean":
            return False
        return None

    def conform(self, s: Any, v: Any) -> Any:
        """Repair ``v`` until it conforms to ``s``: keep what fits, synthesize what is
        missing or of the wrong type."""
        if not isinstance(s, dict) or not s:
            return v
        if v is None:
            return None if s.get("nullable") else self.synth(s)
        if self.valid(s, v):
            return v
        if "enum" in s:
            return self.synth(s)
        for key in ("oneOf", "anyOf"):
            if key in s:
                for sub in s[key]:
                    fixed = self.conform(sub, v)
                    if self.valid(s, fixed):
                        return fixed
                return self.synth(s)
        for sub in s.get("allOf", []):
            v = self.conform(sub, v)
        kind = s.get("type") or ("object" if "properties" in s else None)
        if kind == "object":
            if not isinstance(v, dict):
                return self.synth(s)
            props = s.get("properties") or {}
            out = {}
            extra = s.get("additionalProperties")
            for name, value in v.items():
                if name in props:
                    out[name] = self.conform(props[name], value)
                elif extra is False:
                    continue
                else:
                    out[name] = self.conform(extra, value) if isinstance(extra, dict) else value
            for name in s.get("required", []):
                if name not in out:
                    out[name] = self.synth(props.get(name, {}))
            return out
        if kind == "array":
            if not isinstance(v, list):
                return self.synth(s)
            return [self.conform(s.get("items", {}), item) for item in v]
        if kind is None:
            return v
        return self.synth(s)


def _error_line(error: Any) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    message = error.message if len(error.message) < 300 else error.message[:297] + "..."
    return f"{where}: {message}"


def _deep_merge(base: Any, top: Any) -> Any:
    """``top`` laid over ``base``: dicts merge key by key, everything else is replaced."""
    if isinstance(base, dict) and isinstance(top, dict):
        out = dict(base)
        for key, value in top.items():
            out[key] = _deep_merge(base.get(key), value)
        return out
    return copy.deepcopy(top)


def _replace_strings(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replace_strings(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace_strings(v, old, new) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------------------
# The description: operations, path matching, request and response checks
# --------------------------------------------------------------------------------------

@dataclass
class Operation:
    method: str                    # upper case
    template: str                  # "/repos/{owner}/{repo}/issues/{issue_number}/comments"
    operation_id: str              # "issues/list-comments"
    spec: dict[str, Any] = field(repr=False)
    parameters: list[dict[str, Any]] = field(repr=False)

    def params_in(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.parameters if p.get("in") == where]

    @property
    def request_schema(self) -> dict[str, Any] | None:
        content = (self.spec.get("requestBody") or {}).get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), None)
        return media.get("schema") if media else None

    @property
    def body_required(self) -> bool:
        return bool((self.spec.get("requestBody") or {}).get("required"))

    def response_media(self, status: int) -> dict[str, Any] | None:
        response = self.spec.get("responses", {}).get(str(status))
        if response is None:
            return None
        content = response.get("content") or {}
        return content.get("application/json") or next(iter(content.values()), {})

    def documents(self, status: int) -> bool:
        return str(status) in self.spec.get("responses", {})


# Path parameters whose values may hold slashes, as GitHub's routing takes them
# ("commits/heads/main/status", "contents/docs/a.md", "branches/release/1.0").
SLASH_PARAMETERS = {"ref", "path", "branch", "basehead"}


@dataclass
class _Template:
    template: str
    segments: list[re.Pattern[str]]
    names: list[str]
    specificity: tuple[int, ...]
    operations: dict[str, Operation]
    slash_at: int | None = None   # index of the one segment that may span several

    def fit(self, raw: list[str]) -> dict[str, str] | None:
        """The path parameters if ``raw`` (the request's segments) fits this template."""
        n = len(self.segments)
        if len(raw) == n:
            pairs = list(zip(self.segments, raw))
        elif self.slash_at is not None and len(raw) > n:
            i, tail = self.slash_at, n - self.slash_at - 1
            middle = "/".join(raw[i:len(raw) - tail])
            pairs = [*zip(self.segments[:i], raw[:i]), (self.segments[i], middle),
                     *zip(self.segments[i + 1:], raw[len(raw) - tail:])]
        else:
            return None
        values: dict[str, str] = {}
        for pattern, segment in pairs:
            m = pattern.fullmatch(segment)
            if m is None:
                return None
            for index, value in m.groupdict().items():
                values[self.names[int(index[1:])]] = unquote(value)
        return values


@dataclass
class Match:
    operation: Operation | None
    template: str | None
    params: dict[str, Any]
    violation: tuple[str, int, str] | None = None   # (kind, status to answer, message)


class Description:
    """GitHub's OpenAPI description, indexed for matching. Load it with ``Description.load()``:
    it is parsed once per process (it is ~70 MB) and shared."""

    _loaded: dict[Path, Description] = {}
    _load_lock = threading.Lock()

    def __init__(self, doc: dict[str, Any], load_seconds: float = 0.0) -> None:
        self.doc = doc
        self.load_seconds = load_seconds
        self.schemas = SchemaCache()
        self.operations: dict[str, Operation] = {}
        self._by_length: dict[int, list[_Template]] = {}
        self._spanning: list[_Template] = []
        self._templates: dict[tuple[Any, ...], Any] = {}
        for template, item in doc["paths"].items():
            shared = item.get("parameters", [])
            ops: dict[str, Operation] = {}
            for method in METHODS:
                spec = item.get(method)
                if spec is None:
                    continue
                params = {(p["name"], p["in"]): p for p in shared}
                params.update({(p["name"], p["in"]): p for p in spec.get("parameters", [])})
                op = Operation(method.upper(), template, spec.get("operationId", f"{method} {template}"), spec,
                               list(params.values()))
                ops[op.method] = op
                self.operations[op.operation_id] = op
            parts = template.strip("/").split("/") if template != "/" else []
            patterns, names, spec_key = [], [], []
            for part in parts:
                pieces = _pieces(part)
                regex = ""
                for piece in pieces:
                    if piece.startswith("{") and piece.endswith("}"):
                        regex += f"(?P<p{len(names)}>.*?)"
                        names.append(piece[1:-1])
                    else:
                        regex += re.escape(piece)
                params_here = sum(1 for piece in pieces if piece.startswith("{"))
                spec_key.append(0 if not params_here else 2 if len(pieces) == 1 else 1)
                patterns.append(re.compile(regex))
            slashy = [i for i, part in enumerate(parts) if re.fullmatch(r"\{[^}]+\}", part)
                      and part[1:-1] in SLASH_PARAMETERS]
            tpl = _Template(template, patterns, names, tuple(spec_key), ops, slashy[-1] if slashy else None)
            self._by_length.setdefault(len(parts), []).append(tpl)
            if tpl.slash_at is not None:
                self._spanning.append(tpl)
        for group in self._by_length.values():
            group.sort(key=lambda t: t.specificity)
        self._spanning.sort(key=lambda t: (-len(t.segments), t.specificity))

    @classmethod
    def load(cls, path: Path | str = DESCRIPTION_PATH) -> Description:
        path = Path(path).resolve()
        with cls._load_lock:
            if path not in cls._loaded:
                started = time.perf_counter()
                with open(path, encoding="utf-8") as fh:
                    doc = json.load(fh)
                cls._loaded[path] = cls(doc, time.perf_counter() - started)
            return cls._loaded[path]

    # -- matching -----------------------------------------------------------------------

    def match(self, method: str, path: str, query: Mapping[str, list[str]] | None = None) -> Match:
        raw = path.strip("/").split("/") if path.strip("/") else []
        found: _Template | None = None
        values: dict[str, str] = {}
        candidates = [*self._by_length.get(len(raw), []),
                      *(t for t in self._spanning if len(t.segments) < len(raw))]
        for tpl in candidates:
            fitted = tpl.fit(raw)
            if fitted is not None:
                found, values = tpl, fitted
                break
        if found is None:
            return Match(None, None, {}, ("unknown-path", 404, f"no path template of GitHub's REST API matches {path}"))
        op = found.operations.get(method.upper())
        if op is None:
            allowed = ", ".join(sorted(found.operations))
            return Match(None, found.template, values,
                         ("method", 404, f"{method.upper()} is not an operation of {found.template} (only {allowed})"))
        params: dict[str, Any] = {}
        for param in op.params_in("path"):
            name = param["name"]
            text = values.get(name)
            if not text:
                return Match(op, found.template, params,
                             ("path-parameter", 404, f"{op.operation_id}: path parameter {name} is missing"))
            value, problem = self._parameter(param, [text])
            if problem:
                return Match(op, found.template, params,
                             ("path-parameter", 404, f"{op.operation_id}: path parameter {name}={text!r}: {problem}"))
            params[name] = value
        for param in op.params_in("query"):
            name = param["name"]
            given = (query or {}).get(name)
            if given is None:
                if param.get("required"):
                    return Match(op, found.template, params,
                                 ("query-parameter", 422, f"{op.operation_id}: query parameter {name} is required"))
                continue
            value, problem = self._parameter(param, given)
            if problem:
                return Match(op, found.template, params,
                             ("query-parameter", 422, f"{op.operation_id}: query parameter {name}={given[0]!r}: {problem}"))
            params[name] = value
        return Match(op, found.template, params)

    def _parameter(self, param: dict[str, Any], texts: list[str]) -> tuple[Any, str | None]:
        schema = param.get("schema") or {}
        kind = schema.get("type")
        try:
            if kind == "array":
                items = [t for text in texts for t in text.split(",")]
                value: Any = [_coerce(schema.get("items", {}).get("type"), t) for t in items]
            else:
                value = _coerce(kind, texts[0])
        except ValueError as exc:
            return None, str(exc)
        errors = self.schemas.errors(schema, value, "request")
        return value, ("; ".join(errors) if errors else None)

    # -- bodies ---------------------------------------------------------------------------

    def request_errors(self, op: Operation, body: Any) -> list[str]:
        schema = op.request_schema
        return self.schemas.errors(schema, body, "request") if schema is not None else []

    def response_errors(self, op: Operation, status: int, body: Any) -> list[str]:
        if not op.documents(status):
            if status < 400:
                return [f"status {status} is not documented for {op.operation_id}"]
            return []
        media = op.response_media(status)
        if not media or "schema" not in media:
            return [] if body is None else [f"{op.operation_id} {status} has no body in the description"]
        return self.schemas.errors(media["schema"], body, "response")

    def response_schema(self, op: Operation, status: int) -> dict[str, Any]:
        media = op.response_media(status) or {}
        return media.get("schema") or {}

    def template(self, op: Operation, status: int, *, recorded: Any = None, item: bool = False) -> Any:
        """A conforming body for ``op``'s ``status`` answer (for a list: ``item=True`` gives
        one element), from the description's example with ``recorded`` laid over it."""
        key = (op.operation_id, status, item, json.dumps(recorded, sort_keys=True) if recorded is not None else "")
        hit = self._templates.get(key)
        if hit is None:
            media = op.response_media(status) or {}
            schema = media.get("schema") or {}
            example = media.get("example")
            if example is None and media.get("examples"):
                example = next(iter(media["examples"].values())).get("value")
            if item:
                schema = schema.get("items") or {}
                example = example[0] if isinstance(example, list) and example else None
            value = self.schemas.conform(schema, example) if example is not None else self.schemas.synth(schema)
            if recorded is not None:
                value = self.schemas.conform(schema, _deep_merge(value, recorded))
            hit = self._templates[key] = value
        return copy.deepcopy(hit)


def _pieces(part: str) -> list[str]:
    return [p for p in re.split(r"(\{[^}]+\})", part) if p]


def _coerce(kind: str | None, text: str) -> Any:
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError("not an integer")
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError("not a number") from None
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError("not true or false")
        return text == "true"
    return text


# --------------------------------------------------------------------------------------
# Recorded real responses (@octokit/fixtures)
# --------------------------------------------------------------------------------------

_RECORDED: dict[str, list[dict[str, Any]]] = {}


def recorded(scenario: str) -> list[dict[str, Any]]:
    """The normalized recording of one @octokit/fixtures scenario (list of exchanges)."""
    if scenario not in _RECORDED:
        with open(FIXTURES_DIR / scenario / "normalized-fixture.json", encoding="utf-8") as fh:
            _RECORDED[scenario] = json.load(fh)
    return _RECORDED[scenario]


_HOP_HEADERS = {"connection", "content-length", "date", "etag", "link", "transfer-encoding", "last-modified",
                "location", "status", "x-ratelimit-reset", "x-ratelimit-remaining", "x-ratelimit-used", "vary"}


def recorded_headers() -> dict[str, str]:
    """Headers GitHub sends with every REST answer, from a real recording."""
    headers = recorded("create-status")[0]["headers"]
    return {k.lower(): str(v) for k, v in headers.items() if k.lower() not in _HOP_HEADERS}


# --------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------

@dataclass
class Violation:
    kind: str          # unknown-path | method | path-parameter | query-parameter | request-body | response
    method: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.method} {self.path}: {self.message}"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    token: str | None
    operation_id: str | None = None
    status: int | None = None


@dataclass
class Comment:
    id: int
    repo: str
    issue: int
    body: str
    user: str
    user_type: str
    created_at: str
    updated_at: str


@dataclass
class Status:
    id: int
    repo: str
    sha: str
    state: str
    context: str
    description: str | None
    target_url: str | None
    creator: str
    created_at: str


@dataclass
class Pull:
    repo: str
    number: int
    head_sha: str
    base_ref: str = "main"
    head_ref: str = "feature"
    head_repo: str | None = None         # None: same repository
    state: str = "open"
    merged: bool = False
    merge_commit_sha: str | None = None
    title: str = "Change the schema"
    user: str = "octocat"
    draft: bool = False


@dataclass
class _Fault:
    count: int
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    method: str | None = None
    path: str | None = None          # regular expression searched in the request path

    def matches(self, method: str, path: str) -> bool:
        return ((self.method is None or self.method.upper() == method)
                and (self.path is None or re.search(self.path, path) is not None))


@dataclass
class _Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    deliberate: bool = False    # a failure on purpose: not checked against the response schema


def _body_too_long() -> _Reply:
    """GitHub's answer to a comment body over 65,536 characters."""
    return _Reply(422, {"message": "Validation Failed", "documentation_url": DOCS, "errors": [
        {"resource": "IssueComment", "code": "custom", "field": "body",
         "message": "body is too long (maximum is 65536 characters)"}]})


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _error(status: int, message: str, documentation_url: str = DOCS, **extra: Any) -> _Reply:
    return _Reply(status, {"message": message, "documentation_url": documentation_url, "status": str(status), **extra})


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------

class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    api: GitHubAPI


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.api._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.api._connection_closed(self.connection)

    def _any(self) -> None:
        self.server.api._serve(self)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


Handler = Callable[..., _Reply]


class GitHubAPI:
    """A local GitHub REST API with state for the PR gate and the promotion.

    ``start()`` (or use as a context manager), then point PyGithub at ``.url``.
    """

    def __init__(self, description: Description | None = None) -> None:
        self.description = description or Description.load()
        self._lock = threading.RLock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._connections: set[socket.socket] = set()
        self._wake = threading.Event()
        self._routes: dict[str, Handler] = {
            "issues/list-comments": self._list_comments,
            "issues/create-comment": self._create_comment,
            "issues/get-comment": self._get_comment,
            "issues/update-comment": self._update_comment,
            "issues/delete-comment": self._delete_comment,
            "repos/create-commit-status": self._create_status,
            "repos/get-combined-status-for-ref": self._combined_status,
            "repos/list-commit-statuses-for-ref": self._list_statuses,
            "pulls/get": self._get_pull,
            "repos/get": self._get_repo,
            "repos/get-environment": self._get_environment,
            "repos/list-pull-requests-associated-with-commit": self._commit_pulls,
        }
        self.reset()

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> GitHubAPI:
        if self._httpd is not None:
            return self
        httpd = _HTTPServer(("127.0.0.1", self._port), _Handler)
        httpd.api = self
        self._port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"github-api-{self._port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._wake.set()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._cut_connections()
        self._wake.clear()

    def down(self) -> None:
        """Refuse connections from now on: close the listener and cut open connections."""
        self.stop()

    def up(self) -> None:
        """Listen again, on the same port."""
        self.start()

    def __enter__(self) -> GitHubAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def is_up(self) -> bool:
        return self._httpd is not None

    def reset(self) -> None:
        """Forget all state, faults, requests and violations (the port stays)."""
        with self._lock:
            self.repos: dict[str, dict[str, Any]] = {}
            self.pulls: dict[tuple[str, int], Pull] = {}
            self.comments: dict[tuple[str, int], list[Comment]] = {}
            self.statuses: dict[tuple[str, str], list[Status]] = {}
            self.environments: dict[tuple[str, str], dict[str, Any]] = {}
            self.requests: list[Request] = []
            self.violations: list[Violation] = []
            self.tokens: list[str] = []
            self.users: dict[str, tuple[str, str]] = {}   # token -> (login, type)
            self._faults: list[_Fault] = []
            self._ids = itertools.count(1001)
            self._remaining = 5000

    # -- state set-up -------------------------------------------------------------------------

    def add_token(self, token: str, login: str = "github-actions[bot]", user_type: str = "Bot") -> None:
        """Accept ``token`` as ``login``. Once any token is added, unknown tokens get 401."""
        with self._lock:
            self.users[token] = (login, user_type)

    def add_repo(self, full_name: str, *, private: bool | None = None, default_branch: str | None = None,
                 **fields: Any) -> dict[str, Any]:
        """A repository the server knows (idempotent; only the values given change).
        ``fields`` are laid over the ``GET /repos/{owner}/{repo}`` answer."""
        _split_repo(full_name)
        with self._lock:
            repo = self.repos.get(full_name)
            if repo is None:
                repo = self.repos[full_name] = {"id": next(self._ids), "private": False,
                                                "default_branch": "main", "fields": {}}
            if private is not None:
                repo["private"] = private
            if default_branch is not None:
                repo["default_branch"] = default_branch
            repo["fields"].update(fields)
            return repo

    def add_pull(self, repo: str, number: int, *, head_sha: str, **fields: Any) -> Pull:
        self.add_repo(repo)
        if fields.get("head_repo"):
            self.add_repo(fields["head_repo"])
        pull = Pull(repo, number, head_sha, **fields)
        with self._lock:
            self.pulls[repo, number] = pull
        return pull

    def add_comment(self, repo: str, issue: int, body: str, *, user: str = "octocat",
                    user_type: str = "User") -> Comment:
        """A comment already on the pull request (someone else's, an older run's...)."""
        self.add_repo(repo)
        with self._lock:
            stamp = _now()
            comment = Comment(next(self._ids), repo, issue, body, user, user_type, stamp, stamp)
            self.comments.setdefault((repo, issue), []).append(comment)
            return comment

    def add_status(self, repo: str, sha: str, state: str, *, context: str = "default",
                   description: str | None = None, target_url: str | None = None,
                   creator: str = "octocat") -> Status:
        with self._lock:
            status = Status(next(self._ids), repo, sha, state, context, description, target_url, creator, _now())
            self.statuses.setdefault((repo, sha), []).append(status)
            return status

    def add_environment(self, repo: str, name: str, *, reviewers: Iterable[str | tuple[str, str]] = (),
                        wait_timer: int | None = None, branch_policy: Mapping[str, bool] | None = None,
                        prevent_self_review: bool = False, can_admins_bypass: bool = True,
                        protection_rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """An environment with protection rules. ``reviewers``: logins, or ("Team", slug);
        ``branch_policy``: e.g. {"protected_branches": True, "custom_branch_policies": False};
        ``protection_rules`` replaces the rules built from the other arguments."""
        self.add_repo(repo)
        with self._lock:
            env = {"id": next(self._ids), "name": name, "reviewers": list(reviewers), "wait_timer": wait_timer,
                   "branch_policy": dict(branch_policy) if branch_policy is not None else None,
                   "prevent_self_review": prevent_self_review, "can_admins_bypass": can_admins_bypass,
                   "protection_rules": protection_rules, "created_at": _now()}
            self.environments[repo, name] = env
            return env

    # -- failure on purpose --------------------------------------------------------------------

    def fail_next(self, count: int = 1, status: int = 500, *, body: Any = None,
                  headers: Mapping[str, str] | None = None, method: str | None = None,
                  path: str | None = None) -> None:
        """Answer the next ``count`` requests (matching ``method``/``path`` regex) with ``status``."""
        if body is None:
            message = {500: "Internal Server Error", 502: "Server Error", 503: "Service Unavailable",
                       504: "We couldn't respond to your request in time."}.get(status, "Server Error")
            body = _error(status, message).body
        with self._lock:
            self._faults.append(_Fault(count, status, body, dict(headers or {}), 0.0, method, path))

    def rate_limit(self, count: int = 1, *, status: int = 403, reset_in: float = 3600,
                   retry_after: float | None = None, secondary: bool = False, method: str | None = None,
                   path: str | None = None) -> None:
        """Answer the next ``count`` requests as GitHub does when a rate limit is hit:
        ``x-ratelimit-remaining: 0``, ``x-ratelimit-reset`` ``reset_in`` seconds from now,
        and ``retry-after`` when given (GitHub sends it for secondary limits)."""
        reset = int(time.time() + reset_in)
        headers = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000",
                   "x-ratelimit-reset": str(reset), "x-ratelimit-resource": "core"}
        if retry_after is not None:
            headers["retry-after"] = str(int(retry_after))
        if secondary:
            message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
            docs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
        else:
            message = "API rate limit exceeded for installation ID 1."
            docs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
        body = _error(status, message, docs).body
        with self._lock:
            self._faults.append(_Fault(count, status, body, headers, 0.0, method, path))

    def delay_next(self, seconds: float, count: int = 1, *, method: str | None = None,
                   path: str | None = None) -> None:
        """Answer the next ``count`` requests ``seconds`` late. The request takes effect at
        once, as on GitHub when the client gives up waiting for the answer."""
        with self._lock:
            self._faults.append(_Fault(count, 0, None, {}, seconds, method, path))

    # -- looking at what happened ---------------------------------------------------------------

    @property
    def last_token(self) -> str | None:
        return self.tokens[-1] if self.tokens else None

    def comments_on(self, repo: str, issue: int) -> list[Comment]:
        with self._lock:
            return list(self.comments.get((repo, issue), []))

    def statuses_for(self, repo: str, sha: str) -> list[Status]:
        with self._lock:
            return list(self.statuses.get((repo, sha), []))

    def requests_to(self, operation_id: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.operation_id == operation_id]

    def take_violations(self) -> list[Violation]:
        """The violations so far, forgotten (for tests that break the contract on purpose)."""
        with self._lock:
            found, self.violations = self.violations, []
            return found

    # -- connections -----------------------------------------------------------------------------

    def _connection_opened(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)

    def _connection_closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _cut_connections(self) -> None:
        with self._lock:
            conns, self._connections = list(self._connections), set()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # -- one request ----------------------------------------------------------------------------

    def _serve(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in h.headers.items()}
        token = _token(headers.get("authorization"))
        request = Request(h.command, path, query, headers, None, token)
        with self._lock:
            self.requests.append(request)
            if token is not None:
                self.tokens.append(token)
            fault = self._take_fault(h.command, path)
        reply, op = self._answer(request, raw, fault)
        request.status = reply.status
        if op is not None:
            request.operation_id = op.operation_id
        if fault is not None and fault.delay:
            self._wake.wait(fault.delay)  # the request took effect; only the answer is late
        self._send(h, reply, op)

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.count > 0 and fault.matches(method, path):
                fault.count -= 1
                self._faults = [f for f in self._faults if f.count > 0]
                return fault
        return None

    def _answer(self, request: Request, raw: bytes, fault: _Fault | None) -> tuple[_Reply, Operation | None]:
        match = self.description.match(request.method, request.path, request.query)
        if match.violation is not None:
            kind, status, message = match.violation
            self._violate(kind, request, message)
            return _error(status, "Not Found" if status == 404 else f"Invalid request.\n\n{message}"), match.operation
        op = match.operation
        assert op is not None
        if raw:
            try:
                request.body = json.loads(raw)
            except ValueError as exc:
                self._violate("request-body", request, f"{op.operation_id}: body is not JSON ({exc})")
                return _error(400, "Problems parsing JSON"), op
        if op.request_schema is not None and (raw or op.body_required):
            if not raw:
                self._violate("request-body", request, f"{op.operation_id}: a JSON body is required")
                return _error(400, "Problems parsing JSON"), op
            errors = self.description.request_errors(op, request.body)
            if errors:
                self._violate("request-body", request, f"{op.operation_id}: " + "; ".join(errors))
                return _error(422, "Invalid request.\n\n" + "\n".join(errors)), op
        if fault is not None and not fault.delay:
            return _Reply(fault.status, copy.deepcopy(fault.body), dict(fault.headers), deliberate=True), op
        if request.token is None:
            return _error(401, "Requires authentication"), op
        if self.users and request.token not in self.users:
            return _error(401, "Bad credentials"), op
        handler = self._routes.get(op.operation_id)
        if handler is None:
            return _error(501, f"the local GitHub API does not implement {op.operation_id}"), op
        with self._lock:
            return handler(op, request, **match.params), op

    def _violate(self, kind: str, request: Request, message: str) -> None:
        with self._lock:
            self.violations.append(Violation(kind, request.method, request.path, message))

    def _send(self, h: _Handler, reply: _Reply, op: Operation | None) -> None:
        if op is not None and not reply.deliberate:
            errors = self.description.response_errors(op, reply.status, reply.body)
            if errors:
                self._violate("response", Request(h.command, urlsplit(h.path).path, {}, {}, None, None),
                              f"{op.operation_id} {reply.status}: " + "; ".join(errors[:5]))
        data = b"" if reply.body is None else json.dumps(reply.body).encode()
        headers = recorded_headers()
        with self._lock:
            self._remaining = max(self._remaining - 1, 0)
            remaining = self._remaining
        headers.update({
            "date": email.utils.formatdate(usegmt=True),
            "x-ratelimit-limit": "5000", "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-used": str(5000 - remaining), "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-github-request-id": f"0000:{next(self._ids):05d}:0000000:0000000:00000000",
        })
        headers.update({k.lower(): v for k, v in reply.headers.items()})
        if reply.body is None:
            headers.pop("content-type", None)
        try:
            h.send_response(reply.status)
            for key, value in headers.items():
                h.send_header(key, value)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)
            h.wfile.flush()
        except OSError:
            h.close_connection = True  # the client gave up (timeout) or the server went down

    # -- bodies ---------------------------------------------------------------------------------

    def _body(self, op: Operation, status: int, overlay: Mapping[str, Any], *, item: bool = False,
              recorded_body: Any = None) -> Any:
        base = self.description.template(op, status, recorded=recorded_body, item=item)
        base = _replace_strings(base, GITHUB_API, self.url)
        return _deep_merge(base, overlay)

    def _user(self, login: str, user_type: str = "User") -> dict[str, Any]:
        uid = 41898282 if login == "github-actions[bot]" else 1000 + sum(map(ord, login))
        api = f"{self.url}/users/{quote(login)}"
        return {"login": login, "id": uid, "node_id": f"MDQ6VXNlcj{uid}", "type": user_type,
                "url": api, "html_url": f"{GITHUB_WEB}/{quote(login)}",
                "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "site_admin": False,
                "followers_url": f"{api}/followers", "following_url": f"{api}/following{{/other_user}}",
                "gists_url": f"{api}/gists{{/gist_id}}", "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
                "subscriptions_url": f"{api}/subscriptions", "organizations_url": f"{api}/orgs",
                "repos_url": f"{api}/repos", "events_url": f"{api}/events{{/privacy}}",
                "received_events_url": f"{api}/received_events"}

    def _caller(self, request: Request) -> tuple[str, str]:
        return self.users.get(request.token or "", ("github-actions[bot]", "Bot"))

    def _repo_fields(self, full_name: str) -> dict[str, Any]:
        owner, name = _split_repo(full_name)
        repo = self.repos.get(full_name) or {"id": 1000, "private": False, "default_branch": "main", "fields": {}}
        api = f"{self.url}/repos/{full_name}"
        out = {"id": repo["id"], "node_id": f"R_{repo['id']}", "name": name, "full_name": full_name,
               "owner": self._user(owner, "Organization"), "private": repo["private"],
               "default_branch": repo["default_branch"], "url": api, "html_url": f"{GITHUB_WEB}/{full_name}",
               "issues_url": f"{api}/issues{{/number}}", "pulls_url": f"{api}/pulls{{/number}}",
               "statuses_url": f"{api}/statuses/{{sha}}", "comments_url": f"{api}/comments{{/number}}"}
        out.update(repo["fields"])
        return out

    def _known_repo(self, owner: str, repo: str) -> str | None:
        full = f"{owner}/{repo}"
        return full if full in self.repos else None

    def _paginate(self, request: Request, items: list[Any], params: Mapping[str, Any]) -> tuple[list[Any], dict[str, str]]:
        per_page = max(1, min(int(params.get("per_page", 30)), 100))
        page = max(1, int(params.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        base = f"{self.url}{request.path}"
        extra = {k: v[0] for k, v in request.query.items() if k not in ("page", "per_page")}

        def link(number: int, rel: str) -> str:
            return f'<{base}?{urlencode({**extra, "per_page": per_page, "page": number})}>; rel="{rel}"'
        if page > 1:
            links.append(link(page - 1, "prev"))
        if page < last:
            links.append(link(page + 1, "next"))
            links.append(link(last, "last"))
        if page > 1:
            links.append(link(1, "first"))
        return chunk, ({"link": ", ".join(links)} if links else {})

    # -- issue comments ---------------------------------------------------------------------------

    def _issue_exists(self, repo: str, number: int) -> bool:
        return (repo, number) in self.pulls or (repo, number) in self.comments

    def _comment_body(self, op: Operation, status: int, c: Comment, *, item: bool = False) -> Any:
        api = f"{self.url}/repos/{c.repo}"
        kind = "pull" if (c.repo, c.issue) in self.pulls else "issues"
        return self._body(op, status, {
            "id": c.id, "node_id": f"IC_{c.id}", "url": f"{api}/issues/comments/{c.id}",
            "html_url": f"{GITHUB_WEB}/{c.repo}/{kind}/{c.issue}#issuecomment-{c.id}",
            "issue_url": f"{api}/issues/{c.issue}", "body": c.body, "user": self._user(c.user, c.user_type),
            "created_at": c.created_at, "updated_at": c.updated_at,
            "author_association": "NONE" if c.user_type == "Bot" else "MEMBER", "performed_via_github_app": None,
        }, item=item)

    def _find_comment(self, repo: str, comment_id: int) -> Comment | None:
        for (name, _), comments in self.comments.items():
            if name == repo:
                for c in comments:
                    if c.id == comment_id:
                        return c
        return None

    def _list_comments(self, op: Operation, request: Request, owner: str, repo: str, issue_number: int,
                       **params: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None or not self._issue_exists(full, issue_number):
            return _error(404, "Not Found")
        comments = sorted(self.comments.get((full, issue_number), []), key=lambda c: c.id)
        chunk, headers = self._paginate(request, comments, params)
        return _Reply(200, [self._comment_body(op, 200, c, item=True) for c in chunk], headers)

    def _create_comment(self, op: Operation, request: Request, owner: str, repo: str, issue_number: int,
                        **_: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None or not self._issue_exists(full, issue_number):
            return _error(404, "Not Found")
        body = request.body["body"]
        if len(body) > 65536:
            return _body_too_long()
        login, kind = self._caller(request)
        stamp = _now()
        c = Comment(next(self._ids), full, issue_number, body, login, kind, stamp, stamp)
        self.comments.setdefault((full, issue_number), []).append(c)
        out = self._comment_body(op, 201, c)
        return _Reply(201, out, {"location": out["url"]})

    def _get_comment(self, op: Operation, request: Request, owner: str, repo: str, comment_id: int,
                     **_: Any) -> _Reply:
        c = self._find_comment(f"{owner}/{repo}", comment_id)
        return _Reply(200, self._comment_body(op, 200, c)) if c else _error(404, "Not Found")

    def _update_comment(self, op: Operation, request: Request, owner: str, repo: str, comment_id: int,
                        **_: Any) -> _Reply:
        c = self._find_comment(f"{owner}/{repo}", comment_id)
        if c is None:
            return _error(404, "Not Found")
        body = request.body["body"]
        if len(body) > 65536:
            return _body_too_long()
        c.body, c.updated_at = body, _now()
        return _Reply(200, self._comment_body(op, 200, c))

    def _delete_comment(self, op: Operation, request: Request, owner: str, repo: str, comment_id: int,
                        **_: Any) -> _Reply:
        c = self._find_comment(f"{owner}/{repo}", comment_id)
        if c is None:
            return _error(404, "Not Found")
        self.comments[c.repo, c.issue].remove(c)
        return _Reply(204)

    # -- commit statuses ----------------------------------------------------------------------------

    def _status_overlay(self, s: Status, *, with_creator: bool = True) -> dict[str, Any]:
        out = {"url": f"{self.url}/repos/{s.repo}/statuses/{s.sha}", "id": s.id, "node_id": f"SC_{s.id}",
               "state": s.state, "description": s.description, "target_url": s.target_url, "context": s.context,
               "created_at": s.created_at, "updated_at": s.created_at,
               "avatar_url": "https://avatars.githubusercontent.com/u/9919?v=4"}
        if with_creator:
            out["creator"] = self._user(s.creator, "Bot" if s.creator.endswith("[bot]") else "User")
        return out

    def _create_status(self, op: Operation, request: Request, owner: str, repo: str, sha: str, **_: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None:
            return _error(404, "Not Found")
        if not re.fullmatch(r"[0-9a-fA-F]{4,64}", sha):
            return _Reply(422, {"message": f"No commit found for SHA: {sha}", "documentation_url": DOCS})
        body = request.body
        description = body.get("description")
        if description is not None and len(description) > 140:
            return _Reply(422, {"message": "Validation Failed", "documentation_url": DOCS, "errors": [
                {"resource": "Status", "code": "custom", "field": "description",
                 "message": "description is too long (maximum is 140 characters)"}]})
        login, _kind = self._caller(request)
        s = Status(next(self._ids), full, sha, body["state"], body.get("context") or "default", description,
                   body.get("target_url"), login, _now())
        self.statuses.setdefault((full, sha), []).append(s)
        record = recorded("create-status")[0]["response"]
        out = self._body(op, 201, self._status_overlay(s), recorded_body=record)
        return _Reply(201, out, {"location": out["url"]})

    def _list_statuses(self, op: Operation, request: Request, owner: str, repo: str, ref: str,
                       **params: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None:
            return _error(404, "Not Found")
        newest_first = sorted(self.statuses.get((full, ref), []), key=lambda s: s.id, reverse=True)
        chunk, headers = self._paginate(request, newest_first, params)
        record = recorded("create-status")[2]["response"][0]
        return _Reply(200, [self._body(op, 200, self._status_overlay(s), item=True, recorded_body=record)
                            for s in chunk], headers)

    def _combined_status(self, op: Operation, request: Request, owner: str, repo: str, ref: str,
                         **params: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None:
            return _error(404, "Not Found")
        latest: dict[str, Status] = {}
        for s in sorted(self.statuses.get((full, ref), []), key=lambda s: s.id):
            latest[s.context.lower()] = s
        current = sorted(latest.values(), key=lambda s: s.id, reverse=True)
        states = {s.state for s in current}
        state = ("failure" if states & {"failure", "error"} else
                 "pending" if "pending" in states or not states else "success")
        chunk, headers = self._paginate(request, current, params)
        record = recorded("create-status")[3]["response"]
        template = self._body(op, 200, {}, recorded_body=record)
        item = template["statuses"][0] if template.get("statuses") else {}
        api = f"{self.url}/repos/{full}"
        body = _deep_merge(template, {
            "state": state, "sha": ref, "total_count": len(current),
            "repository": {k: v for k, v in self._repo_fields(full).items() if k in template.get("repository", {})},
            "commit_url": f"{api}/commits/{ref}", "url": f"{api}/commits/{ref}/status"})
        body["statuses"] = [_deep_merge(item, self._status_overlay(s, with_creator=False)) for s in chunk]
        return _Reply(200, body, headers)

    # -- pull requests, repositories, environments --------------------------------------------------

    def _pull_overlay(self, p: Pull) -> dict[str, Any]:
        api = f"{self.url}/repos/{p.repo}"
        head_full = p.head_repo or p.repo
        head_owner = head_full.split("/")[0]
        base_owner = p.repo.split("/")[0]
        pid = 500000 + p.number
        return {
            "url": f"{api}/pulls/{p.number}", "id": pid, "node_id": f"PR_{pid}", "number": p.number,
            "html_url": f"{GITHUB_WEB}/{p.repo}/pull/{p.number}", "state": p.state, "title": p.title,
            "user": self._user(p.user), "draft": p.draft, "merged": p.merged,
            "merge_commit_sha": p.merge_commit_sha, "issue_url": f"{api}/issues/{p.number}",
            "comments_url": f"{api}/issues/{p.number}/comments", "statuses_url": f"{api}/statuses/{p.head_sha}",
            "commits_url": f"{api}/pulls/{p.number}/commits",
            "review_comments_url": f"{api}/pulls/{p.number}/comments",
            "head": {"ref": p.head_ref, "sha": p.head_sha, "label": f"{head_owner}:{p.head_ref}",
                     "user": self._user(head_owner, "Organization"), "repo": self._repo_fields(head_full)},
            "base": {"ref": p.base_ref, "sha": "0" * 40, "label": f"{base_owner}:{p.base_ref}",
                     "user": self._user(base_owner, "Organization"), "repo": self._repo_fields(p.repo)},
        }

    def _get_pull(self, op: Operation, request: Request, owner: str, repo: str, pull_number: int, **_: Any) -> _Reply:
        pull = self.pulls.get((f"{owner}/{repo}", pull_number))
        if pull is None:
            return _error(404, "Not Found")
        return _Reply(200, self._body(op, 200, self._pull_overlay(pull)))

    def _commit_pulls(self, op: Operation, request: Request, owner: str, repo: str, commit_sha: str,
                      **params: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None:
            return _error(404, "Not Found")
        found = [p for (name, _), p in sorted(self.pulls.items()) if name == full
                 and commit_sha in (p.head_sha, p.merge_commit_sha)]
        chunk, headers = self._paginate(request, found, params)
        return _Reply(200, [self._body(op, 200, self._pull_overlay(p), item=True) for p in chunk], headers)

    def _get_repo(self, op: Operation, request: Request, owner: str, repo: str, **_: Any) -> _Reply:
        full = self._known_repo(owner, repo)
        if full is None:
            return _error(404, "Not Found")
        record = recorded("get-repository")[0]["response"]
        return _Reply(200, self._body(op, 200, self._repo_fields(full), recorded_body=record))

    def _get_environment(self, op: Operation, request: Request, owner: str, repo: str, environment_name: str,
                         **_: Any) -> _Reply:
        full = f"{owner}/{repo}"
        env = self.environments.get((full, environment_name))
        if env is None:
            return _error(404, "Not Found")
        rules = env["protection_rules"]
        if rules is None:
            rules = []
            if env["wait_timer"] is not None:
                rules.append({"id": env["id"] + 1, "node_id": f"GA_{env['id'] + 1}", "type": "wait_timer",
                              "wait_timer": env["wait_timer"]})
            if env["reviewers"]:
                reviewers = []
                for who in env["reviewers"]:
                    if isinstance(who, tuple):
                        slug = who[1]
                        reviewers.append({"type": "Team", "reviewer": {
                            "id": 1, "node_id": "MDQ6VGVhbTE=", "url": f"{self.url}/teams/1",
                            "html_url": f"{GITHUB_WEB}/orgs/{owner}/teams/{slug}", "name": slug, "slug": slug,
                            "description": None, "privacy": "closed", "notification_setting": "notifications_enabled",
                            "permission": "pull", "members_url": f"{self.url}/teams/1/members{{/member}}",
                            "repositories_url": f"{self.url}/teams/1/repos", "parent": None}})
                    else:
                        reviewers.append({"type": "User", "reviewer": self._user(who)})
                rules.append({"id": env["id"] + 2, "node_id": f"GA_{env['id'] + 2}", "type": "required_reviewers",
                              "prevent_self_review": env["prevent_self_review"], "reviewers": reviewers})
            if env["branch_policy"] is not None:
                rules.append({"id": env["id"] + 3, "node_id": f"GA_{env['id'] + 3}", "type": "branch_policy"})
        overlay = {"id": env["id"], "node_id": f"EN_{env['id']}", "name": environment_name,
                   "url": f"{self.url}/repos/{full}/environments/{quote(environment_name)}",
                   "html_url": f"{GITHUB_WEB}/{full}/deployments/activity_log?environments_filter={quote(environment_name)}",
                   "created_at": env["created_at"], "updated_at": env["created_at"],
                   "can_admins_bypass": env["can_admins_bypass"],
                   "deployment_branch_policy": env["branch_policy"]}
        body = self._body(op, 200, overlay)
        body["protection_rules"] = rules
        return _Reply(200, body)


def _token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("token", "bearer") and value.strip():
        return value.strip()
    return None


def _split_repo(full_name: str) -> tuple[str, str]:
    owner, sep, name = full_name.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise ValueError(f"repository must be owner/name, not {full_name!r}")
    return owner, name

"""The JSON Schemas in schemas/: loaded once, validators built once, problems as JSON pointers.

The server validates request bodies with the very files it publishes in its OpenAPI document.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from server.config import PROJECT_ROOT
from server.engine import Problem
from server.engine.schema import describe

SCHEMA_DIR = PROJECT_ROOT / "schemas"
REQUEST_SCHEMAS = (
    "submission",
    "evaluate",
    "tracking",
    "batch",
    "publish",
    "validate",
    "impact",
    "period-close",
    "period-reopen",
    "feedback-write",
    "acknowledge",
    "appeal-open",
    "appeal-resolve",
    "share",
    "plan-put",
    "plan-acknowledge",
    "plan-batch",
    "approve",
    "reject",
)
TRACKING_OPTIONS = ("as_of", "what_it_takes")  # evaluate.schema.json's own (SPEC §10)


def path_order(path: str) -> list[tuple[int, int | str]]:
    """A sort key for JSON pointers that puts /items/2 before /items/10."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in path.split("/")]


class SchemaSet:
    """Every schema file of a directory, a validator per request schema, the OpenAPI document."""

    def __init__(self, directory: Path = SCHEMA_DIR) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        resources = []
        for path in sorted(directory.glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            self.documents[path.name] = document
            if "$id" in document:
                resources.append((document["$id"], Resource.from_contents(document)))
        registry = Registry().with_resources(resources)
        self.validators = {
            name: Draft202012Validator(self.documents[f"{name}.schema.json"], registry=registry)
            for name in REQUEST_SCHEMAS
        }
        self.openapi = _bundle(self.documents)

    def problems(self, name: str, instance: Any) -> list[Problem]:
        """Every problem of `instance` against the named request schema, sorted by path."""
        found: dict[tuple[str, str], Problem] = {}
        for error in self.validators[name].iter_errors(instance):
            for problem in describe(error):  # the engine's one schema-error formatter
                found.setdefault((problem.path, problem.message), problem)
        return sorted(found.values(), key=lambda p: path_order(p.path))


def _component_name(filename: str) -> str:
    stem = filename.removesuffix(".schema.json")
    return _camel(stem)


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", text) if part)


# keywords that only lead to a subschema: left out of the name of a component hoisted from there
_STRUCTURAL = {"properties", "items", "additionalProperties", "$defs", "prefixItems"}


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _fragment_name(filename: str, fragment: str) -> str:
    """The component of a subschema: its file's name and the words of its pointer."""
    tokens = [_unescape(t) for t in fragment.split("/")[1:]]
    words = [t for t in tokens if t not in _STRUCTURAL]
    return _component_name(filename) + "".join(_camel(w) for w in words)


def _resolve(document: Any, fragment: str) -> Any:
    node = document
    for token in fragment.split("/")[1:]:
        token = _unescape(token)
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _bundle(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """openapi.json with the schema files it references made components.schemas.

    Every component is a whole schema, so that a client generator can follow each reference:
    a referenced file becomes a component (submission.schema.json -> Submission), each of its
    `$defs` another (ruleset.schema.json#/$defs/key -> RulesetKey), and a subschema that is
    referenced from elsewhere (submission.schema.json#/properties/role -> SubmissionRole) is
    moved into a component of its own and referenced from where it was. Every `$ref` of the
    result is `#/components/schemas/NAME` (or a reference openapi.json itself wrote).
    The schema files are left as they are: the server validates with them.
    """
    targets: dict[tuple[str, str], str] = {}  # (file, JSON pointer) -> component name
    seen: set[str] = set()

    def locate(ref: str, home: str) -> tuple[str, str] | None:
        """(file, pointer) of a reference to a schema file, or None for openapi.json's own."""
        filename, _, fragment = ref.partition("#")
        filename = filename.rsplit("/", 1)[-1] if filename else home
        if filename == "openapi.json":
            return None
        if filename not in documents:
            raise ValueError(f"{home}: $ref {ref!r} names no schema file")
        return filename, fragment

    def collect(node: Any, home: str) -> None:
        if isinstance(node, list):
            for item in node:
                collect(item, home)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            found = locate(ref, home)
            if found is not None:
                filename, fragment = found
                if filename not in seen:
                    seen.add(filename)
                    targets[(filename, "")] = _component_name(filename)
                    for name in documents[filename].get("$defs", {}):
                        pointer = "/$defs/" + name.replace("~", "~0").replace("/", "~1")
                        targets[(filename, pointer)] = _fragment_name(filename, pointer)
                    collect(documents[filename], filename)
                if fragment not in ("", "/"):
                    targets.setdefault((filename, fragment), _fragment_name(filename, fragment))
        for value in node.values():
            collect(value, home)

    collect(documents["openapi.json"], "openapi.json")

    def rewrite(node: Any, home: str, at: str, root: str) -> Any:
        """`node` (at pointer `at` of `home`) with references renamed and hoisted parts
        replaced by references; `root` is the pointer of the component being built."""
        if at != root and (home, at) in targets and home != "openapi.json":
            return {"$ref": f"#/components/schemas/{targets[(home, at)]}"}
        if isinstance(node, list):
            return [rewrite(item, home, f"{at}/{i}", root) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if at == "" and home != "openapi.json" and key in ("$schema", "$id", "$defs"):
                continue
            if key == "$ref" and isinstance(value, str):
                found = locate(value, home)
                if found is not None:
                    filename, fragment = found
                    value = f"#/components/schemas/{targets[(filename, fragment.rstrip('/'))]}"
                out[key] = value
                continue
            escaped = key.replace("~", "~0").replace("/", "~1")
            out[key] = rewrite(value, home, f"{at}/{escaped}", root)
        return out

    bundled = rewrite(documents["openapi.json"], "openapi.json", "", "")
    included: dict[str, Any] = {}
    for (filename, fragment), name in targets.items():
        if name in included:
            raise ValueError(f"two schemas would be the component {name}")
        node = _resolve(documents[filename], fragment)
        included[name] = rewrite(node, filename, fragment, fragment)
    components = bundled.setdefault("components", {}).setdefault("schemas", {})
    clashes = sorted(set(components) & set(included))
    if clashes:  # a schema file would silently replace a component written in openapi.json
        raise ValueError(f"schema files clash with components in openapi.json: {clashes}")
    components.update(included)
    return bundled


_KNOWN_KEYWORDS = {"type", "minLength", "maxLength", "pattern", "minimum", "maximum", "description"}


class PlainBatch:
    """A cheap check that a batch body certainly matches batch.schema.json (jsonschema is
    ~0.3 ms per item). True only when every item is a plain valid submission; anything else,
    invalid or merely unusual (a float version, a bool), is left to the full validator, which
    also words the problems. Built from the schema files: if they use a keyword this check
    does not know, it answers False always.
    """

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        batch = documents["batch.schema.json"]
        item = documents["submission.schema.json"]
        self.enabled = (
            set(batch) - {"$schema", "$id", "title", "description"}
            == {"type", "required", "additionalProperties", "properties"}
            and batch["required"] == ["items"]
            and list(batch["properties"]) == ["items"]
            and batch["properties"]["items"]["items"] == {"$ref": "submission.schema.json"}
            and item["type"] == "object"
            and item["additionalProperties"] is False
            and set(item) - {"$schema", "$id", "title", "description"}
            == {"type", "required", "additionalProperties", "properties"}
            and all(set(rule) <= _KNOWN_KEYWORDS for rule in item["properties"].values())
        )
        items = batch["properties"]["items"]
        self.min_items, self.max_items = items.get("minItems", 0), items.get("maxItems", 10**9)
        self.required = set(item["required"])
        self.rules = item["properties"]
        # evaluate.schema.json: the submission's rules by $ref, its own employee_id, a document
        evaluate = documents["evaluate.schema.json"]
        own = evaluate["properties"].get("employee_id", {})
        self.evaluate_enabled = (
            self.enabled
            and evaluate["type"] == "object"
            and evaluate["additionalProperties"] is False
            and set(evaluate) - {"$schema", "$id", "title", "description"}
            == {"type", "required", "additionalProperties", "properties", "if", "else"}
            and evaluate["if"] == {"required": ["document"]}
            and evaluate["else"] == {"required": ["role"]}
            and set(own) <= _KNOWN_KEYWORDS
            and all(
                rule == {"$ref": f"submission.schema.json#/properties/{name}"}
                for name, rule in evaluate["properties"].items()
                if name not in ("employee_id", "document", *TRACKING_OPTIONS)
            )
        )
        self.evaluate_required = set(evaluate["required"]) | {"role"}
        self.evaluate_rules = {
            name: own if name == "employee_id" else self.rules[name]
            for name in evaluate["properties"]
            if name not in ("document", *TRACKING_OPTIONS)
        }  # a body with a tracking option takes the full validator

    def _value(self, name: str, value: Any, rule: dict[str, Any] | None = None) -> bool:
        rule = self.rules[name] if rule is None else rule
        kinds = rule.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if value is None:
            return "null" in kinds
        if type(value) is str:
            return (
                "string" in kinds
                and rule.get("minLength", 0) <= len(value) <= rule.get("maxLength", 10**9)
                and ("pattern" not in rule or re.search(rule["pattern"], value) is not None)
            )
        if type(value) is int:
            return "integer" in kinds and rule.get("minimum", -(10**30)) <= value <= rule.get(
                "maximum", 10**30
            )
        if type(value) is dict:
            return kinds == ["object"] and set(rule) <= {"type", "description"}
        return False  # lists, floats, bools, ...: the full validator decides

    def valid(self, body: Any) -> bool:
        if not self.enabled or type(body) is not dict or list(body) != ["items"]:
            return False
        items = body["items"]
        if type(items) is not list or not self.min_items <= len(items) <= self.max_items:
            return False
        rules, required, value = self.rules, self.required, self._value
        for item in items:
            if type(item) is not dict or not required <= item.keys():
                return False
            for name, v in item.items():
                if name not in rules or not value(name, v):
                    return False
        return True

    def valid_evaluate(self, body: Any) -> bool:
        """True only if `body` certainly matches evaluate.schema.json without a document."""
        if not self.evaluate_enabled or type(body) is not dict:
            return False
        if "document" in body or not self.evaluate_required <= body.keys():
            return False
        rules = self.evaluate_rules
        return all(name in rules and self._value(name, v, rules[name]) for name, v in body.items())


@functools.cache
def plain_batch() -> PlainBatch:
    """The process-wide fast check of batch bodies."""
    return PlainBatch(schema_set().documents)


@functools.cache
def schema_set() -> SchemaSet:
    """The process-wide schemas (files are read once)."""
    return SchemaSet()

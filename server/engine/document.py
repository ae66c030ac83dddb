"""Reading ruleset documents from text, and their canonical JSON form and hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

from .language import T
from .problems import DocumentInvalid, Problem, ValidationReport


class _PlainLoader(yaml.SafeLoader):
    """YAML safe loader that keeps dates and times as the strings they were written as."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_document(text: str) -> Any:
    """Parse YAML (or JSON, a subset of it) into plain data; dates stay ISO strings."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__  # YAML's own words
        message = (
            T("not valid YAML (line %(line)s, column %(column)s): %(error)s",
              line=mark.line + 1, column=mark.column + 1, error=problem)
            if mark
            else T("not valid YAML: %(error)s", error=problem)
        )  # fmt: skip
        raise DocumentInvalid(ValidationReport([Problem("", message)], [])) from None


def dump_yaml(document: Any) -> str:
    """The document as YAML, keys in document order, non-ASCII text kept readable."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def canonical_json(document: Any) -> str:
    """The canonical JSON text: sorted keys, no spaces, non-ASCII kept (SPEC §5)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def document_hash(document: Any) -> str:
    """`sha256:` and the hex SHA-256 of the canonical JSON, encoded as UTF-8."""
    return "sha256:" + hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()

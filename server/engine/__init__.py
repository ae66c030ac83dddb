"""The rules engine: parse, validate, compile and evaluate ruleset documents.

A library with no web or database dependency (it imports neither flask nor peewee):
the HTTP API, the admin console, the CLI and the tests all call it.

Public surface:
    load_document(text)            YAML or JSON text -> document (dates stay strings)
    dump_yaml(document)            the document as readable YAML (keys in document order)
    canonical_json(document)       the canonical JSON text of a document
    document_hash(document)        "sha256:<hex>" of the canonical JSON
    validate_document(document)    -> ValidationReport(valid, errors, warnings)
    compile_ruleset(document)      -> CompiledRuleset (raises DocumentInvalid)
    CompiledRuleset.evaluate(inputs, period, employee_id=..., history=..., explain=True)
                                   -> result dict (raises SubmissionRejected)
    diff_documents(old, new)       -> list of changes in the SPEC §5 shape
    summarize_changes(changes)     -> counts of added, removed and changed
    Problem, pointer(*parts)       a problem at a JSON pointer; building such a pointer
    periods: parse_period, period_kind, previous_periods, current_period
"""

from .diff import diff_documents, summarize_changes
from .document import canonical_json, document_hash, dump_yaml, load_document
from .periods import (
    Period,
    current_period,
    parse_period,
    period_kind,
    previous_periods,
)
from .problems import (
    DocumentInvalid,
    EngineError,
    Problem,
    SubmissionRejected,
    ValidationReport,
    pointer,
)
from .ruleset import CompiledRuleset
from .validate import compile_ruleset, validate_document

__all__ = [
    "CompiledRuleset",
    "DocumentInvalid",
    "EngineError",
    "Period",
    "Problem",
    "SubmissionRejected",
    "ValidationReport",
    "canonical_json",
    "compile_ruleset",
    "current_period",
    "diff_documents",
    "document_hash",
    "dump_yaml",
    "load_document",
    "parse_period",
    "period_kind",
    "pointer",
    "previous_periods",
    "summarize_changes",
    "validate_document",
]

"""The examples in schemas/openapi.json are the default rulesets' golden examples and the
server's own answers to them (scripts/openapi_examples.py writes them)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from tests.openapi_check import checked

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "openapi_examples.py"


def load_script():
    spec = importlib.util.spec_from_file_location("openapi_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_examples_are_the_default_rulesets_and_the_servers_answers():
    script = load_script()
    current = json.loads(script.OPENAPI.read_text(encoding="utf-8"))
    found = script.answers(client_factory=checked)  # each answer checked against the document
    assert {name for name, _ in script.rulesets()} <= set(found["evaluate"])
    assert script.render(script.with_examples(current, found)) == script.render(current), (
        "examples out of date: run .venv/bin/python scripts/openapi_examples.py"
    )
    evaluate = current["paths"]["/api/v1/evaluate"]["post"]
    examples = evaluate["requestBody"]["content"]["application/json"]["examples"]
    assert examples["regional_sales_manager"]["summary"].startswith("区域销售经理: ")

"""Write the examples of schemas/openapi.json from the default rulesets (rulesets/*.yaml).

    .venv/bin/python scripts/openapi_examples.py           # rewrite the examples
    .venv/bin/python scripts/openapi_examples.py --check   # exit 1 if they are out of date

Each default ruleset's first golden example becomes an example request of evaluate,
storeEvaluation bodies (summary: the ruleset's name and the example's name), the smallest
default is the publishVersion example; the answers of evaluate (and one of storeEvaluation)
are the server's own, computed on a scratch SQLite database with the rulesets published. tests/api/test_openapi_examples.py
fails when the document's examples are not what this script writes.
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OPENAPI = ROOT / "schemas" / "openapi.json"
PUBLISHED_EXAMPLE = "sales_representative"  # the smallest default: the publish example
FIRST_PERIOD = {"month": "2020-01", "quarter": "2020-Q1", "half": "2020-H1", "year": "2020"}
VOLATILE = {"stored_at": "2025-10-01T08:00:00Z", "id": 1}


def rulesets() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((ROOT / "rulesets").glob("*.yaml")):
        found.append((path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))))
    return found


def submission(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    example = document["examples"][0]
    body = {
        "role": document["role"],
        "period": example["period"],
        "employee_id": "E1001",
        "inputs": example["inputs"],
    }
    return f"{document['name']}: {example['name']}", body


def answers(client_factory: Any = None) -> dict[str, Any]:
    """Every example (by operationId, then request or response status) for the document."""
    from server import create_app, storage
    from server.services import api_keys
    from server.services import publishing as published
    from server.config import TestingConfig

    found: dict[str, Any] = {"evaluate": {}, "storeEvaluation": {}, "publishVersion": {}}
    with tempfile.TemporaryDirectory() as directory:
        app = create_app(TestingConfig(f"sqlite:///{directory}/examples.db"))
        if client_factory is not None:
            app = client_factory(app)
        try:
            with app.app_context():
                storage.create_tables()
                for _, document in rulesets():
                    start = FIRST_PERIOD[document["period"]]
                    published.publish(document["role"], document, start, "default", "system")
                _, key = api_keys.create_key("examples", ["evaluate", "read", "publish"], "system")
            client = app.test_client()
            headers = {"Authorization": f"Bearer {key}"}
            for name, document in rulesets():
                summary, body = submission(document)
                evaluated = client.post("/api/v1/evaluate", json=body, headers=headers)
                stored = client.post("/api/v1/evaluations", json=body, headers=headers)
                assert evaluated.status_code == 200 and stored.status_code == 201, name
                found["evaluate"][name] = (summary, body, 200, evaluated.get_json())
                stored_body = {**stored.get_json(), **VOLATILE}  # one answer is enough here
                answer = stored_body if name == PUBLISHED_EXAMPLE else None
                found["storeEvaluation"][name] = (summary, body, 201 if answer else None, answer)
                if name == PUBLISHED_EXAMPLE:
                    start = FIRST_PERIOD[document["period"]]
                    publish = {"document": document, "effective_from": start, "note": "首版"}
                    found["publishVersion"][name] = (
                        f"{document['name']}: 首版",
                        publish,
                        None,
                        None,
                    )
        finally:
            with app.app_context():
                storage.dispose()
    return found


def with_examples(openapi: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """`openapi` with its request and response examples set from `found`."""
    openapi = copy.deepcopy(openapi)
    for item in openapi["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or operation.get("operationId") not in found:
                continue
            examples = found[operation["operationId"]]
            request = operation["requestBody"]["content"]["application/json"]
            request["examples"] = {
                name: {"summary": summary, "value": body}
                for name, (summary, body, _, _) in examples.items()
            }
            statuses = {status for (_, _, status, _) in examples.values() if status}
            for status in statuses:
                media = operation["responses"][str(status)]["content"]["application/json"]
                media["examples"] = {
                    name: {"summary": summary, "value": answer}
                    for name, (summary, _, code, answer) in examples.items()
                    if code == status
                }
    return openapi


def render(openapi: dict[str, Any]) -> str:
    return json.dumps(openapi, indent=2) + "\n"


def main(argv: list[str]) -> int:
    current = OPENAPI.read_text(encoding="utf-8")
    expected = render(with_examples(json.loads(current), answers()))
    if "--check" in argv:
        if expected != current:
            print("schemas/openapi.json: examples out of date; run scripts/openapi_examples.py")
            return 1
        return 0
    OPENAPI.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

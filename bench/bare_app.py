"""A bare Flask app answering POST /api/v1/evaluate with constant JSON: the ceiling for the
HTTP part. The constant is a real result of the default ruleset, so the response has the same
size; Flask serializes it on every request as it does the real one. No auth, no database."""

from __future__ import annotations

from flask import Flask

from bench.employees import employees, load_ruleset_document
from server.engine import compile_ruleset

app = Flask(__name__)
app.json.sort_keys = False
app.json.ensure_ascii = False
_SUB = employees(1)[0]
RESULT = compile_ruleset(load_ruleset_document()).evaluate(
    _SUB["inputs"], _SUB["period"], employee_id=_SUB["employee_id"]
)


@app.post("/api/v1/evaluate")
def evaluate() -> dict:
    return RESULT


@app.get("/healthz")
def health() -> dict:
    return {"status": "ok"}

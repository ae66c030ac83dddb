"""Parts c and d: a 10,000-item POST /api/v1/evaluations/batch stored, on SQLite and on
PostgreSQL; then, once 100,000 results of one period are stored, POST
/api/v1/rulesets/regional_sales_manager/impact over them (when the endpoint exists).

Each batch holds new employees (ids prefixed per batch), so every item is a first revision.
The timed span is the HTTP request alone: the JSON body is built before it.

Alternating with its plain batches, part c stores a period plan (SPEC §9, POST /api/v1/plans/batch) for
every employee of further batches, which then send the actuals only: the plan supplies the
`source: plan` inputs (targets, hire date), and the stored inputs are the same merged set.
"""

from __future__ import annotations

import copy
import json
import os
import time
from typing import Any

import requests

from bench.employees import PERIOD, employees, load_ruleset_document
from bench.server import Gunicorn, database, postgres_available, scorecard_server
from bench.timing import Row, median

BATCH_ITEMS = 10_000
TIMED_BATCHES = 3  # part c: the median and best of these
IMPACT_RESULTS = 100_000  # part d: stored results of PERIOD before impact is asked
TIMEOUT_S = 600
FLOOR_RATIO = {"sqlite": 4.0, "postgresql": 5.0}  # issue 16: the batch within this x the floor
PLAN_RATIO = 1.10  # issue 16: with a plan per employee, the batch at most this x slower
ROLE = "regional_sales_manager"


def _batch_body(number: int) -> bytes:
    items = [
        {"role": ROLE, "period": PERIOD, "employee_id": f"B{number:02d}-{sub['employee_id']}",
         "inputs": sub["inputs"]}
        for sub in employees(BATCH_ITEMS, seed=1000 + number)
    ]  # fmt: skip
    return _encoded(items)


def _encoded(items: list[dict[str, Any]]) -> bytes:
    return json.dumps({"items": items}, ensure_ascii=False).encode()


def plan_input_names() -> list[str]:
    """The ruleset's `source: plan` inputs: what a plan sets and the planned batch leaves out."""
    inputs = load_ruleset_document()["inputs"]
    return [name for name, spec in inputs.items() if spec.get("source") == "plan"]


def _planned_bodies(number: int, names: list[str]) -> tuple[bytes, bytes]:
    """(the plans' batch body, the evaluations' batch body) of planned batch `number`: the
    same synthetic employees as a plain batch, their plan inputs moved into their plans."""
    plans, items = [], []
    for sub in employees(BATCH_ITEMS, seed=2000 + number):
        employee_id = f"P{number:02d}-{sub['employee_id']}"
        inputs = sub["inputs"]
        planned = {name: inputs[name] for name in names if name in inputs}
        actuals = {name: value for name, value in inputs.items() if name not in planned}
        plans.append({"role": ROLE, "period": PERIOD, "employee_id": employee_id,
                      "inputs": planned})  # fmt: skip
        items.append({"role": ROLE, "period": PERIOD, "employee_id": employee_id,
                      "inputs": actuals})  # fmt: skip
    return _encoded(plans), _encoded(items)


def _post(url: str, key: str, body: bytes) -> tuple[float, requests.Response]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    start = time.perf_counter()
    answer = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_S)
    return time.perf_counter() - start, answer


def _impact_body() -> dict[str, Any]:
    """A draft that moves the 良好 band from 80 to 78: some employees change rating."""
    draft = copy.deepcopy(load_ruleset_document())
    draft.pop("examples", None)
    for band in draft["rating"]:
        if band["key"] == "good":
            band["min"] = 78
    return {"from": 1, "document": draft, "period": PERIOD}


def _impact_exists(server_url: str, key: str) -> bool:
    """Whether the impact endpoint is there (an empty body is then 422, not 404 or 405)."""
    _, answer = _post(f"{server_url}/api/v1/rulesets/{ROLE}/impact", key, b"{}")
    return answer.status_code not in (404, 405)


def _impact(server_url: str, key: str, backend: str, stored: int) -> Row:
    body = json.dumps(_impact_body(), ensure_ascii=False).encode()
    url = f"{server_url}/api/v1/rulesets/{ROLE}/impact"
    seconds, answer = _post(url, key, body)
    if answer.status_code in (404, 405):
        return Row("d", f"impact over {stored:,} stored results ({backend})", "not run",
                   f"POST /rulesets/{{role}}/impact answers {answer.status_code}: "
                   "the endpoint does not exist yet")  # fmt: skip
    if answer.status_code != 200:
        raise RuntimeError(f"impact answered {answer.status_code}: {answer.text[:500]}")
    found = answer.json()
    counted = len(found.get("employees", [])) + len(found.get("not_evaluable", []))
    target = "met" if seconds < 10 else "MISSED"
    return Row("d", f"impact over {stored:,} stored results ({backend})", f"{seconds:.2f} s",
               f"{counted:,} employees compared; target < 10 s: {target}")  # fmt: skip


def _floor(backend: str, bodies: list[bytes]) -> list[float]:
    """Seconds of each body POSTed to the bare I/O floor (bench/bare_app.py) on `backend`."""
    with database(backend) as url:
        env = {**os.environ, "BENCH_FLOOR_DATABASE_URL": url}
        server = Gunicorn("bench.bare_app:app", env, "/healthz")
        try:
            times = []
            for body in bodies:
                seconds, answer = _post(server.url + "/api/v1/evaluations/batch", "-", body)
                if answer.status_code != 201 or len(answer.json()["items"]) != BATCH_ITEMS:
                    raise RuntimeError(f"floor answered {answer.status_code}: {answer.text[:300]}")
                times.append(seconds)
            return times
        finally:
            server.stop()


def _store_batch(url: str, key: str, body: bytes) -> float:
    """Seconds of one 10,000-item batch POSTed (evaluations or plans), checked stored."""
    seconds, answer = _post(url, key, body)
    if answer.status_code != 201 or len(answer.json()["items"]) != BATCH_ITEMS:
        raise RuntimeError(f"{url} answered {answer.status_code}: {answer.text[:500]}")
    return seconds


def _planned(server_url: str, key: str, number: int, names: list[str]) -> tuple[float, float]:
    """(seconds storing the plans, seconds of the batch) of planned batch `number`: a plan for
    each of its employees stored just before it, the batch sending the actuals only."""
    plans, items = _planned_bodies(number, names)
    plan_seconds = _store_batch(f"{server_url}/api/v1/plans/batch", key, plans)
    seconds, answer = _post(f"{server_url}/api/v1/evaluations/batch", key, items)
    answers = answer.json()["items"] if answer.status_code == 201 else []
    merged = len(answers) == BATCH_ITEMS and all(
        item["plan"] == {"revision": 1, "acknowledged": False} for item in answers
    )
    if not merged:
        raise RuntimeError(f"planned batch answered {answer.status_code}: {answer.text[:500]}")
    return plan_seconds, seconds


def _plan_rows(backend: str, plan_times: list[float], times: list[float], plain: float,
               names: list[str]) -> list[Row]:  # fmt: skip
    """Part c's plan rows, against `plain` (the median of the plain batches they alternate with)."""
    ratio = median(times) / plain
    met = "met" if ratio <= PLAN_RATIO else "MISSED"
    each = ", ".join(f"{t:.2f}" for t in times)
    return [
        Row("c", f"10,000 plans stored, POST /plans/batch ({backend})",
            f"{median(plan_times):.2f} s", f"the {len(names)} plan inputs of each employee of "
            f"the next batch; median of {TIMED_BATCHES}"),
        Row("c", f"10,000-item batch stored, a plan per employee ({backend})",
            f"{median(times):.2f} s", f"the actuals only, merged with the plan; median of "
            f"{TIMED_BATCHES} ({each} s), each right after a plain one; target ≤ "
            f"{PLAN_RATIO:.2f}x without plans: {met}", f"{ratio:.2f}x without plans"),
    ]  # fmt: skip


def run_backend(backend: str, with_impact: bool = True) -> list[Row]:
    """Rows of parts c and d on one backend: the I/O floor first, then the real server."""
    limit = FLOOR_RATIO[backend]
    rows: list[Row] = []
    floor = median(_floor(backend, [_batch_body(number) for number in range(TIMED_BATCHES)]))
    rows.append(Row("c", f"I/O floor: bare Flask storing the same batch ({backend})",
                    f"{floor:.2f} s", "parse, JSON-encode each item, one insert per item in one "
                    f"transaction, answer small objects; median of {TIMED_BATCHES}"))  # fmt: skip
    with scorecard_server(backend) as (server, key):
        url = server.url + "/api/v1/evaluations/batch"
        times = []
        if with_impact and not _impact_exists(server.url, key):
            with_impact = False
            rows.append(Row("d", f"impact over {IMPACT_RESULTS:,} stored results ({backend})",
                            "not run", "POST /rulesets/{role}/impact answers 404: the endpoint "
                            "does not exist yet"))  # fmt: skip
        names, plan_times, planned_times = plan_input_names(), [], []
        for number in range(TIMED_BATCHES):  # plain and planned alternate: like tables
            times.append(_store_batch(url, key, _batch_body(number)))
            plan_seconds, seconds = _planned(server.url, key, number, names)
            plan_times.append(plan_seconds)
            planned_times.append(seconds)
        first = times[:TIMED_BATCHES]
        planned = _plan_rows(backend, plan_times, planned_times, median(first), names)
        if with_impact:  # up to IMPACT_RESULTS stored, the planned batches included
            for number in range(TIMED_BATCHES, IMPACT_RESULTS // BATCH_ITEMS - TIMED_BATCHES):
                times.append(_store_batch(url, key, _batch_body(number)))
        rest = times[TIMED_BATCHES:]
        detail = (
            f"median of the first {len(first)} (" + ", ".join(f"{t:.2f}" for t in first) + " s)"
        )
        if rest:
            detail += f"; the next {len(rest)} on a fuller table: median {median(rest):.2f} s"
        ratio = median(first) / floor
        detail += f"; target within {limit:g}x the floor: {'met' if ratio <= limit else 'MISSED'}"
        rows.append(Row("c", f"10,000-item batch stored ({backend})", f"{median(first):.2f} s",
                        detail, f"{ratio:.1f}x the floor, {BATCH_ITEMS / median(first):,.0f} "
                        "items/s"))  # fmt: skip
        rows += planned
        if with_impact:
            stored = (len(times) + TIMED_BATCHES) * BATCH_ITEMS
            rows.append(_impact(server.url, key, backend, stored))
    return rows


def run(with_impact: bool = True) -> list[Row]:
    """Parts c and d on SQLite and, when it answers, PostgreSQL."""
    rows = run_backend("sqlite", with_impact)
    why_not = postgres_available()
    if why_not:
        rows.append(Row("c", "10,000-item batch stored (postgresql)", "not run",
                        f"PostgreSQL unavailable: {why_not}"))  # fmt: skip
    else:
        rows += run_backend("postgresql", with_impact)
    return rows

"""Parts c and d: a 10,000-item POST /api/v1/evaluations/batch stored, on SQLite and on
PostgreSQL; then, once 100,000 results of one period are stored, POST
/api/v1/rulesets/regional_sales_manager/impact over them (when the endpoint exists).

Each batch holds new employees (ids prefixed per batch), so every item is a first revision.
The timed span is the HTTP request alone: the JSON body is built before it.
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
ROLE = "regional_sales_manager"


def _batch_body(number: int) -> bytes:
    items = [
        {"role": ROLE, "period": PERIOD, "employee_id": f"B{number:02d}-{sub['employee_id']}",
         "inputs": sub["inputs"]}
        for sub in employees(BATCH_ITEMS, seed=1000 + number)
    ]  # fmt: skip
    return json.dumps({"items": items}, ensure_ascii=False).encode()


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
        batches = IMPACT_RESULTS // BATCH_ITEMS if with_impact else TIMED_BATCHES
        for number in range(batches):
            body = _batch_body(number)
            seconds, answer = _post(url, key, body)
            if answer.status_code != 201 or len(answer.json()["items"]) != BATCH_ITEMS:
                raise RuntimeError(f"batch answered {answer.status_code}: {answer.text[:500]}")
            times.append(seconds)
        first = times[:TIMED_BATCHES]
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
        if with_impact:
            rows.append(_impact(server.url, key, backend, len(times) * BATCH_ITEMS))
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

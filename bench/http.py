"""Part b: POST /api/v1/evaluate under gunicorn, driven by wrk from a second process, next to
a bare Flask endpoint answering constant JSON under the same gunicorn settings. Part e (memory)
is read from the same warmed-up workers.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import requests

from bench import memory
from bench.employees import employees
from bench.server import WORKERS, bare_server, scorecard_server
from bench.timing import Row, median

CONNECTIONS = 8
DURATION_S = 8
WARMUP_S = 2
RUNS = 3
BODIES = 200  # distinct employees the load generator cycles through
LUA = """
local bodies = {
%s
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
%s
request = function()
  i = i %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
"""


def _script(bodies: list[str], key: str | None) -> str:
    auth = f'wrk.headers["Authorization"] = "Bearer {key}"' if key else ""
    quoted = ",\n".join(f"[==[{body}]==]" for body in bodies)
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")
    with handle:
        handle.write(LUA % (quoted, auth))
    return handle.name


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def _wrk(url: str, script: str, duration: int) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s", script, url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _seconds(re.search(r"\n\s+50%\s+(\S+)", out).group(1)),
        "p99": _seconds(re.search(r"\n\s+99%\s+(\S+)", out).group(1)),
    }
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    found["errors"] = float(bad.group(1)) if bad else 0.0
    return found


def _load(url: str, script: str) -> tuple[dict[str, float], list[float]]:
    """A warm-up run, then RUNS measured runs; the median run (by requests/s) and all rates."""
    _wrk(url, script, WARMUP_S)
    runs = sorted((_wrk(url, script, DURATION_S) for _ in range(RUNS)), key=lambda r: r["rps"])
    return runs[len(runs) // 2], [r["rps"] for r in runs]


def _bodies() -> list[str]:
    return [
        json.dumps(
            {
                "role": "regional_sales_manager",
                "period": sub["period"],
                "employee_id": sub["employee_id"],
                "inputs": sub["inputs"],
            },
            ensure_ascii=False,
        )  # fmt: skip
        for sub in employees(BODIES, seed=7)
    ]


def _row(what: str, run: dict[str, float], rates: list[float], ratio: str = "") -> Row:
    detail = (
        f"p50 {run['p50'] * 1e3:.2f} ms, p99 {run['p99'] * 1e3:.2f} ms "
        f"(median of {RUNS} × {DURATION_S} s runs: " + ", ".join(f"{r:,.0f}" for r in rates) + ")"
    )
    if run["errors"]:
        detail += f"; {run['errors']:.0f} non-2xx answers!"
    return Row("b", what, f"{run['rps']:,.0f} req/s", detail, ratio)


def run() -> list[Row]:
    """Rows of parts b and e; a row saying why when wrk is missing."""
    if shutil.which("wrk") is None:
        return [Row("b", "HTTP", "not run", "wrk is not installed: apt-get install -y wrk")]
    bodies = _bodies()
    rows: list[Row] = []
    with bare_server() as bare:
        script = _script(bodies, None)
        bare_run, bare_rates = _load(bare.url + "/api/v1/evaluate", script)
        bare_memory = memory.workers(bare)
        Path(script).unlink()
    with scorecard_server("sqlite") as (server, key):
        answer = requests.post(
            server.url + "/api/v1/evaluate",
            data=bodies[0].encode(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            timeout=30,
        )
        if answer.status_code != 200 or "total" not in answer.json():
            raise RuntimeError(f"/evaluate answered {answer.status_code}: {answer.text[:500]}")
        script = _script(bodies, key)
        real_run, real_rates = _load(server.url + "/api/v1/evaluate", script)
        real_memory = memory.workers(server)
        Path(script).unlink()
    share = real_run["rps"] / bare_run["rps"]
    setting = f"gunicorn {WORKERS} sync workers, wrk 1 thread {CONNECTIONS} connections"
    rows.append(_row("POST /api/v1/evaluate (SQLite, explanation included)", real_run, real_rates,
                     f"{share:.0%} of bare Flask"))  # fmt: skip
    rows.append(_row("bare Flask, constant JSON, same gunicorn", bare_run, bare_rates))
    rows.append(Row("b", "settings", setting, f"{BODIES} distinct employees cycled"))
    rows += memory.rows(real_memory, bare_memory, median)
    return rows

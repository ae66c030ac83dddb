"""`python -m bench.profile engine|evaluate|batch|plans [N]`: where the time goes, by cProfile.

  engine    N evaluations of the default ruleset in process (explain=False and True)
  evaluate  N POST /api/v1/evaluate through Flask's test client on a fresh SQLite database
  batch     one N-item POST /api/v1/evaluations/batch, the same way
  plans     the same batch of employees who each have a period plan (stored first, through
            POST /api/v1/plans/batch), sending the actuals only

Prints the functions with the most cumulative time. The figures in BENCHMARKS.md that miss
their target come with the output of this script.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import sys
import tempfile

from bench.employees import employees, load_ruleset_document

TOP = 30


def _engine(count: int) -> None:
    from server.engine import compile_ruleset

    ruleset = compile_ruleset(load_ruleset_document())
    subs = employees(count)
    for explain in (False, True):
        profile = cProfile.Profile()
        profile.enable()
        for s in subs:
            ruleset.evaluate(s["inputs"], s["period"], employee_id=s["employee_id"],
                             history=s["history"], explain=explain)  # fmt: skip
        profile.disable()
        print(f"--- engine, explain={explain}, {count} evaluations")
        pstats.Stats(profile).sort_stats("tottime").print_stats(TOP)


def _client():
    from bench.server import _scorecard

    folder = tempfile.mkdtemp(prefix="scorecard-profile-")
    os.environ["SCORECARD_DATABASE_URL"] = f"sqlite:///{folder}/scorecard.db"
    os.environ["SCORECARD_SECRET_KEY"] = "profile"
    env = dict(os.environ)
    _scorecard(env, "init")
    key = _scorecard(env, "keys", "create", "p", "--scopes", "evaluate,read,publish,plan")
    from server import create_app

    headers = {
        "Authorization": f"Bearer {key.strip().splitlines()[-1].strip()}",
        "Content-Type": "application/json",
    }
    return create_app().test_client(), headers


def _item(sub: dict) -> dict:
    return {"role": "regional_sales_manager", "period": sub["period"],
            "employee_id": sub["employee_id"], "inputs": sub["inputs"]}  # fmt: skip


def _evaluate(count: int) -> None:
    client, headers = _client()
    bodies = [json.dumps(_item(s)) for s in employees(count)]
    client.post("/api/v1/evaluate", data=bodies[0], headers=headers)  # warm: key, cache
    profile = cProfile.Profile()
    profile.enable()
    for body in bodies:
        client.post("/api/v1/evaluate", data=body, headers=headers)
    profile.disable()
    print(f"--- POST /api/v1/evaluate × {count} (Flask test client, SQLite)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(TOP)


def _profiled_batch(client, headers: dict, items: list[dict], what: str) -> None:
    """The cProfile of one POST /api/v1/evaluations/batch of `items`."""
    body = json.dumps({"items": items})
    profile = cProfile.Profile()
    profile.enable()
    answer = client.post("/api/v1/evaluations/batch", data=body, headers=headers)
    profile.disable()
    print(f"--- POST /api/v1/evaluations/batch of {len(items)} {what}: {answer.status_code}")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(TOP)


def _batch(count: int) -> None:
    client, headers = _client()
    _profiled_batch(client, headers, [_item(s) for s in employees(count)], "items")


def _plans(count: int) -> None:
    from bench.batch import plan_input_names

    client, headers = _client()
    names = plan_input_names()
    subs = employees(count)
    plans = [{**_item(s), "inputs": {n: s["inputs"][n] for n in names if n in s["inputs"]}}
             for s in subs]  # fmt: skip
    stored = client.post("/api/v1/plans/batch", data=json.dumps({"items": plans}), headers=headers)
    assert stored.status_code == 201, stored.get_data(as_text=True)[:500]
    items = [{**_item(s), "inputs": {n: v for n, v in s["inputs"].items() if n not in names}}
             for s in subs]  # fmt: skip
    _profiled_batch(client, headers, items, "planned items")


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "engine"
    count = int(argv[1]) if len(argv) > 1 else {"engine": 2000, "evaluate": 300}.get(what, 2000)
    {"engine": _engine, "evaluate": _evaluate, "batch": _batch, "plans": _plans}[what](count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

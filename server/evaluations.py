"""Storing evaluations: one submission or a batch, all stored or none, in one transaction.

Storing rules (SPEC §5): the first submission of a role-period-employee record is revision 1;
the same inputs under the same version answer the stored revision (a harmless retry);
anything else is revision n+1 and needs a `reason`. A closed period takes no new revision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server import storage
from server.engine import Problem, canonical_json, parse_period
from server.errors import PeriodClosed, Unprocessable
from server.schemas import plain_batch, schema_set
from server.storage import ClosedPeriod, EvaluationRecord, EvaluationRevision
from server.submissions import (
    IN_CHUNK,
    Resolved,
    VersionIndex,
    evaluate,
    latest_revision_filter,
    resolve,
    stored_ratings,
)

Key = tuple[str, str, str]  # role, period, employee_id


@dataclass
class Item:
    """One submission on its way to storage."""

    body: dict[str, Any]
    prefix: str
    problems: list[Problem] = field(default_factory=list)
    resolved: Resolved | None = None
    result: dict[str, Any] | None = None
    history: dict[str, str] = field(default_factory=dict)
    revision: int = 0  # the revision this item writes (0: none)
    record_id: int | None = None  # its record, when the record already exists
    answer: dict[str, Any] | None = None  # the stored result it is answered with
    same_as: Item | None = None  # an earlier item of the batch it repeats

    @property
    def key(self) -> Key:
        return (self.body["role"], self.body["period"], self.body["employee_id"])


@dataclass
class State:
    """The latest revision of a record, stored or written earlier in this batch."""

    record_id: int | None
    revision: int
    version: int
    inputs: str  # canonical JSON
    answer: dict[str, Any] | None = None
    item: Item | None = None


def stored_result(record_id: int, revision: EvaluationRevision | dict[str, Any]) -> dict[str, Any]:
    """The §4 result of a revision plus `id`, `revision`, `reason` and `stored_at`."""
    row = revision if isinstance(revision, dict) else revision.__data__
    return {
        "id": record_id,
        **row["result"],
        "revision": row["revision"],
        "reason": row["reason"],
        "stored_at": storage.rfc3339(row["stored_at"]),
    }


def _evaluate_all(items: list[Item]) -> None:
    """Resolve, fetch streak history in bulk, and evaluate every item in order."""
    index = VersionIndex()
    for item in items:
        if item.problems:
            continue  # not a valid submission: nothing to resolve
        try:
            item.resolved = resolve(item.body, index, item.prefix)
        except Unprocessable as exc:
            item.problems += exc.problems
    wanted: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for item in items:
        if item.resolved:
            ids, periods = wanted[item.body["role"]]
            ids.add(item.body["employee_id"])
            periods.update(item.resolved.compiled.history_periods(item.body["period"]))
    stored = {role: stored_ratings(role, ids, periods) for role, (ids, periods) in wanted.items()}
    earlier: dict[Key, str] = {}  # ratings computed earlier in this batch
    for item in items:
        if not item.resolved:
            continue
        role, period, employee_id = item.key
        for past in item.resolved.compiled.history_periods(period):
            rating = earlier.get((role, past, employee_id)) or stored[role].get((employee_id, past))
            if rating is not None:
                item.history[past] = rating
        try:
            item.result = evaluate(item.resolved, item.body, item.history, item.prefix)
        except Unprocessable as exc:
            item.problems += exc.problems
            continue
        earlier[item.key] = item.result["rating"]["key"]


def _latest_states(keys: set[Key]) -> dict[Key, State]:
    """The latest stored revision of each record named."""
    by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for role, period, employee_id in sorted(keys):
        by_period[(role, period)].append(employee_id)
    states: dict[Key, State] = {}
    for (role, period), ids in by_period.items():
        for start in range(0, len(ids), IN_CHUNK):
            query = (
                EvaluationRevision.select(EvaluationRevision, EvaluationRecord)
                .join(EvaluationRecord)
                .where(
                    (EvaluationRecord.role == role)
                    & (EvaluationRecord.period == period)
                    & EvaluationRecord.employee_id.in_(ids[start : start + IN_CHUNK])
                    & latest_revision_filter()
                )
            )
            for row in query:
                states[(role, period, row.record.employee_id)] = State(
                    row.record.id,
                    row.revision,
                    row.version,
                    canonical_json(row.inputs),
                    answer=stored_result(row.record.id, row),
                )
    return states


def _closed(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    found = set()
    for role, period in pairs:
        query = ClosedPeriod.select().where(
            (ClosedPeriod.role == role) & (ClosedPeriod.period == period)
        )
        if query.exists():
            found.add((role, period))
    return found


def _decide(items: list[Item]) -> list[Item]:
    """Which items write a revision (and which); raises 422 or 409 before anything is written."""
    ready = [item for item in items if item.result is not None]
    for item in ready:  # a retried transaction decides afresh
        item.problems, item.revision, item.record_id, item.answer, item.same_as = (
            [],
            0,
            None,
            None,
            None,
        )
    states = _latest_states({item.key for item in ready})
    closed = _closed({item.key[:2] for item in ready})
    writing, closed_hits = [], []
    for item in ready:
        state = states.get(item.key)
        version = item.resolved.ruleset["version"]
        inputs = canonical_json(item.body["inputs"])
        if state is not None and state.version == version and state.inputs == inputs:
            item.answer, item.same_as = state.answer, state.item
            continue
        if state is not None and not item.body.get("reason"):
            message = (
                f"{item.key[2]} already has revision {state.revision} for {item.key[1]}; "
                "a new revision needs a reason"
            )
            item.problems.append(Problem(item.prefix + "/reason", message))
        if item.key[:2] in closed:
            closed_hits.append(
                Problem(item.prefix + "/period", f"{item.key[1]} is closed for {item.key[0]}")
            )
        item.revision = (state.revision if state else 0) + 1
        item.record_id = state.record_id if state else None
        states[item.key] = State(
            state.record_id if state else None, item.revision, version, inputs, item=item
        )
        writing.append(item)
    problems = [p for item in items for p in item.problems]
    if problems:
        raise Unprocessable("some submissions cannot be stored", problems)
    if closed_hits:
        raise PeriodClosed("a closed period takes no new revisions", closed_hits)
    return writing


def _record_ids(writing: list[Item]) -> dict[Key, int]:
    """Ids of the records the items write to, creating those that do not exist yet."""
    ids = {item.key: item.record_id for item in writing if item.record_id is not None}
    now = storage.utcnow()
    new = [
        {
            "role": r,
            "period": p,
            "period_start": parse_period(p).start,
            "employee_id": e,
            "created_at": now,
        }
        for r, p, e in sorted({item.key for item in writing} - set(ids))
    ]
    storage.bulk_insert(EvaluationRecord, new)
    by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in new:
        by_period[(row["role"], row["period"])].append(row["employee_id"])
    for (role, period), employee_ids in by_period.items():
        for start in range(0, len(employee_ids), IN_CHUNK):
            query = EvaluationRecord.select(
                EvaluationRecord.id, EvaluationRecord.employee_id
            ).where(
                (EvaluationRecord.role == role)
                & (EvaluationRecord.period == period)
                & EvaluationRecord.employee_id.in_(employee_ids[start : start + IN_CHUNK])
            )
            for record_id, employee_id in query.tuples():
                ids[(role, period, employee_id)] = record_id
    return ids


def _write(items: list[Item], actor: str, batch: bool) -> None:
    writing = _decide(items)
    ids = _record_ids(writing)
    now = storage.utcnow()
    rows, audit = [], []
    for item in writing:
        role, period, employee_id = item.key
        row = {
            "record": ids[item.key],
            "revision": item.revision,
            "version": item.resolved.ruleset["version"],
            "hash": item.resolved.ruleset["hash"],
            "total": item.result["total"],
            "rating": item.result["rating"]["key"],
            "inputs": item.body["inputs"],
            "result": item.result,
            "history": item.history,
            "reason": item.body.get("reason"),
            "actor": actor,
            "stored_at": now,
        }
        rows.append(row)
        item.answer = stored_result(ids[item.key], row)
        details = {
            "id": ids[item.key],
            "employee_id": employee_id,
            "revision": item.revision,
            "version": row["version"],
            "reason": row["reason"],
            "batch": batch,
        }
        audit.append(storage.audit(actor, "evaluation.store", f"{role}/{period}", details))
    storage.bulk_insert(EvaluationRevision, rows)
    storage.insert_audit(audit)


def store(
    bodies: list[dict[str, Any]], actor: str, batch: bool, problems: Sequence[Problem] = ()
) -> list[tuple[dict[str, Any], bool]]:
    """Evaluate and store submissions; each answer with whether it wrote a new revision.

    `problems` are schema problems of batch items (`/items/N/...`): those items are not
    evaluated, the others are, so that one answer lists every problem of the batch.
    """
    items = [Item(body, f"/items/{i}" if batch else "") for i, body in enumerate(bodies)]
    for problem in problems:
        items[int(problem.path.split("/")[2])].problems.append(problem)
    _evaluate_all(items)
    # the decision (and the missing-reason problems, reported with the others) needs the lock
    locks = {f"evaluations:{item.key[0]}/{item.key[1]}" for item in items if item.resolved}
    storage.write(lambda: _write(items, actor, batch), locks)
    return [
        (item.answer if item.answer is not None else item.same_as.answer, item.revision > 0)
        for item in items
    ]


def store_batch(body: dict[str, Any], actor: str) -> list[tuple[dict[str, Any], bool]]:
    """Check a batch body against its schema and store its items: all or none."""
    problems = [] if plain_batch().valid(body) else schema_set().problems("batch", body)
    if not all(p.path.startswith("/items/") for p in problems):
        raise Unprocessable("the request body does not match its schema", problems)
    return store(body["items"], actor, batch=True, problems=problems)

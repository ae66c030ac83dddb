"""Storing evaluations: one submission or a batch, all stored or none, in one transaction.

Storing rules (SPEC §5): the first submission of a role-period-employee record is revision 1;
the same inputs under the same version answer the stored revision (a harmless retry);
anything else is revision n+1 and needs a `reason`. A closed period takes no new revision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from server.collector import collector_paused
from server.engine import canonical_json, parse_period
from server.engine.language import T
from server.services.domain_errors import Invalid, Issue, PeriodClosed
from server.services.evaluating import Resolved, VersionIndex, evaluate, resolve
from server.services.explaining import without_explanation
from server.services.plan_merging import merge, plans_for
from server.services.reading import stored_result
from server.storage import audit_queries, result_queries, utcnow, write

Key = tuple[str, str, str]  # role, period, employee_id


@dataclass
class Item:
    """One submission on its way to storage."""

    body: dict[str, Any]
    item: int | None  # its position in a batch
    issues: list[Issue] = field(default_factory=list)
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
    inputs: dict[str, Any]
    row: Any = None  # the stored revision (its answer is made only when it is the answer)
    item: Item | None = None
    _canonical: str | None = None

    def answer(self) -> dict[str, Any]:
        return stored_result(self.record_id, self.row)

    def same_inputs(self, inputs: dict[str, Any]) -> bool:
        """Whether `inputs` are these (canonical JSON equal), computed only when asked."""
        if self._canonical is None:
            self._canonical = canonical_json(self.inputs)
        return self._canonical == canonical_json(inputs)


def _evaluate_all(items: list[Item]) -> None:
    """Resolve, fetch streak history in bulk, and evaluate every item in order."""
    index = VersionIndex()
    chosen: dict[tuple[str, str, str], Resolved | Invalid] = {}  # a batch names few of them
    for item in items:
        if item.issues:
            continue  # not a valid submission: nothing to resolve
        body = item.body
        key = (body["role"], body["period"], repr(body.get("version")))
        if key not in chosen:
            try:
                chosen[key] = resolve(body, index)
            except Invalid as exc:
                chosen[key] = exc
        found = chosen[key]
        if isinstance(found, Invalid):
            item.issues += [issue.at_item(item.item) for issue in found.issues]
        else:
            item.resolved = found
    wanted: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for item in items:
        if item.resolved:
            ids, periods = wanted[item.body["role"]]
            ids.add(item.body["employee_id"])
            periods.update(item.resolved.compiled.history_periods(item.body["period"]))
    stored = {
        role: result_queries.stored_ratings(role, ids, periods)
        for role, (ids, periods) in wanted.items()
    }
    plans = plans_for(item.key for item in items if item.resolved)
    earlier: dict[Key, str] = {}  # ratings computed earlier in this batch
    for item in items:
        if not item.resolved:
            continue
        role, period, employee_id = item.key
        plan = plans.get(item.key)
        for past in item.resolved.compiled.history_periods(period):
            rating = earlier.get((role, past, employee_id)) or stored[role].get((employee_id, past))
            if rating is not None:
                item.history[past] = rating
        try:
            item.body = merge(item.resolved.compiled, item.body, plan)  # stored: the merged set
            item.result = evaluate(item.resolved, item.body, item.history, plan)
        except Invalid as exc:
            item.issues += [issue.at_item(item.item) for issue in exc.issues]
            continue
        earlier[item.key] = item.result["rating"]["key"]


def _latest_states(keys: set[Key]) -> dict[Key, State]:
    """The latest stored revision of each record named."""
    return {
        key: State(
            row.record.id,
            row.revision,
            row.version,
            row.inputs,
            row=row,
        )
        for key, row in result_queries.latest_revisions(keys).items()
    }


def _decide(items: list[Item]) -> list[Item]:
    """Which items write a revision (and which); raises Invalid or PeriodClosed before
    anything is written."""
    ready = [item for item in items if item.result is not None]
    for item in ready:  # a retried transaction decides afresh
        item.issues, item.revision, item.record_id, item.answer, item.same_as = (
            [],
            0,
            None,
            None,
            None,
        )
    states = _latest_states({item.key for item in ready})
    closed = result_queries.closed_among({item.key[:2] for item in ready})
    writing, closed_hits = [], []
    for item in ready:
        state = states.get(item.key)
        version = item.resolved.ruleset["version"]
        inputs = item.body["inputs"]
        if state is not None and state.version == version and state.same_inputs(inputs):
            item.answer = state.answer() if state.item is None else None
            item.same_as = state.item
            continue
        if state is not None and not item.body.get("reason"):
            message = T(
                "%(employee)s already has revision %(revision)s for %(period)s; a new revision "
                "needs a reason",
                employee=item.key[2],
                revision=state.revision,
                period=item.key[1],
            )
            item.issues.append(Issue(message, "reason", item=item.item))
        if item.key[:2] in closed:
            message = T("%(period)s is closed for %(role)s", period=item.key[1], role=item.key[0])
            closed_hits.append(Issue(message, "period", item=item.item))
        item.revision = (state.revision if state else 0) + 1
        item.record_id = state.record_id if state else None
        states[item.key] = State(
            state.record_id if state else None, item.revision, version, inputs, item=item
        )
        writing.append(item)
    issues = [issue for item in items for issue in item.issues]
    if issues:
        raise Invalid(T("some submissions cannot be stored"), issues)
    if closed_hits:
        raise PeriodClosed(T("a closed period takes no new revisions"), closed_hits)
    return writing


def _record_ids(writing: list[Item]) -> dict[Key, int]:
    """Ids of the records the items write to, creating those that do not exist yet."""
    ids = {item.key: item.record_id for item in writing if item.record_id is not None}
    new = sorted({item.key for item in writing} - set(ids))
    starts = {period: parse_period(period).start for _, period, _ in new}
    ids.update(result_queries.create_records(new, starts, utcnow()))
    return ids


def _write(items: list[Item], actor: str, batch: bool) -> None:
    writing = _decide(items)
    ids = _record_ids(writing)
    now = utcnow()
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
            "result": without_explanation(item.result),  # the lines: explaining.py
            "history": item.history,
            "reason": item.body.get("reason"),
            "actor": actor,
            "stored_at": now,
        }
        rows.append(row)
        item.answer = stored_result(ids[item.key], {**row, "result": item.result})
        details = {
            "id": ids[item.key],
            "employee_id": employee_id,
            "revision": item.revision,
            "version": row["version"],
            "reason": row["reason"],
            "batch": batch,
        }
        audit.append(audit_queries.audit(actor, "evaluation.store", f"{role}/{period}", details))
    result_queries.insert_revisions(rows)
    audit_queries.insert_audit(audit)


def _answers(items: list[Item]) -> list[tuple[dict[str, Any], bool]]:
    return [
        (item.answer if item.answer is not None else item.same_as.answer, item.revision > 0)
        for item in items
    ]


def store(
    bodies: list[dict[str, Any]],
    actor: str,
    batch: bool,
    rejected: dict[int, list[Issue]] | None = None,
    then: Callable[[list[tuple[dict[str, Any], bool]]], None] | None = None,
) -> list[tuple[dict[str, Any], bool]]:
    """Evaluate and store submissions; each answer with whether it wrote a new revision.

    `rejected` holds the issues already found with some items of a batch (by position):
    those are not evaluated, the others are, so that one refusal lists every problem.
    `then` runs inside the same transaction with the answers (an appeal's decision), and
    may raise to undo the whole write.
    """
    with collector_paused():
        items = [Item(body, i if batch else None) for i, body in enumerate(bodies)]
        for index, issues in (rejected or {}).items():
            items[index].issues += issues
        _evaluate_all(items)

        def work() -> None:
            _write(items, actor, batch)
            if then is not None:
                then(_answers(items))

        # the decision (and the missing-reason issues, reported with the others) needs the lock
        locks = {f"evaluations:{item.key[0]}/{item.key[1]}" for item in items if item.resolved}
        write(work, locks)
        return _answers(items)

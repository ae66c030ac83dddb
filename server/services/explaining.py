"""A stored result's explanation lines, rendered when it is read.

Storing a result keeps its numbers, inputs, history and version, not its explanation: the
lines are words around those numbers, and rendering them for every item of a 10,000-item
batch and storing them made a third of every stored row (docs/decisions.md, "Explanations
are rendered when read"). A stored result is explained by evaluating its stored inputs again
under its stored version with its stored history — what replay does — and taking the lines.
The lines are those of the running release; the numbers in them are the stored numbers, since
the recomputation must give them: when it does not (a result no release could reproduce is a
bug), the explanation is one line saying so, and replay shows the differences. Results stored
before this change keep the lines stored with them.
"""

from __future__ import annotations

from typing import Any

from server.engine import SubmissionRejected
from server.engine.explain import unexplained_line
from server.services import versions

# what the lines explain: if a recomputation differs in any of these, its lines are not shown
EXPLAINED = ("total", "rating", "bonus_multiplier", "dimensions", "indicators", "adjustments",
             "outcomes")  # fmt: skip


def without_explanation(result: dict[str, Any]) -> dict[str, Any]:
    """The result as it is stored: everything but its explanation lines."""
    return {key: value for key, value in result.items() if key != "explanation"}


def explained(row: Any) -> dict[str, Any]:
    """The stored result of a revision (a row or its dict of columns) with its explanation."""
    data = row if isinstance(row, dict) else row.__data__
    result = data["result"]
    if "explanation" in result:
        return result
    lines = explanation(result, data["inputs"], data["history"], data["version"], data["hash"])
    return {**result, "explanation": lines}


def explanation(
    result: dict[str, Any],
    inputs: dict[str, Any],
    history: dict[str, str],
    version: int,
    digest: str,
) -> list[str]:
    """The lines of a stored result, from its inputs and history under its version."""
    compiled = versions.compiled_version(result["role"], version, digest)
    if compiled is None:
        return []
    try:
        fresh = compiled.evaluate(
            inputs, result["period"], employee_id=result["employee_id"], history=history
        )
    except SubmissionRejected:
        return [unexplained_line(compiled)]
    if any(fresh[key] != result.get(key) for key in EXPLAINED):
        return [unexplained_line(compiled)]
    return fresh["explanation"]

"""The engine's problems in both languages (SPEC §5 "Language"): the issue's examples word for
word in zh-CN and en, keys, names and numbers untouched, and no message that is not a T()
text of the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from server.engine import Problem, SubmissionRejected, validate_document
from server.engine.language import T, Text, translations, use_locale
from server.engine.problems import Problems
from server.services.domain_errors import DomainError, Invalid, Issue
from server.services.spreadsheet import RowProblem, cell_value

ROOT = Path(__file__).resolve().parents[2]


def _at(problems: list[Problem], path: str) -> Text:
    found = [p.message for p in problems if p.path == path]
    assert len(found) == 1, [(p.path, str(p.message)) for p in problems]
    return found[0]


def both(text: Text) -> tuple[str, str]:
    """The text in zh-CN and in en."""
    return text.render("zh-CN"), text.render("en")


def test_dimension_out_of_range(sc: Any) -> None:
    document = sc.document(
        dimensions=[{"key": "results", "name": "业绩结果", "weight_range": [40, 50]}],
        indicators=[
            sc.indicator("a", "x", 20, dimension="results"),
            sc.indicator("b", "x", 19, dimension="results"),
            sc.indicator("c", "x", 61, dimension="results"),
        ],
    )
    document["dimensions"].append({"key": "other", "name": "其他"})
    document["indicators"][2]["dimension"] = "other"
    report = validate_document(document)
    assert both(_at(report.errors, "/dimensions/0/weight_range")) == (
        "维度 results（业绩结果）：其指标权重合计 39，超出其范围 40-50（a 20, b 19）",
        "dimension results (业绩结果): its indicator weights sum to 39, outside its range "
        "40-50 (a 20, b 19)",
    )


def test_weights_not_summing_to_100(sc: Any) -> None:
    document = sc.document(indicators=[sc.indicator("a", "x", 60), sc.indicator("b", "x", 35)])
    report = validate_document(document)
    assert both(_at(report.errors, "/indicators")) == (
        "指标权重合计 95，必须合计为 100（a 60, b 35）；请提高 5",
        "indicator weights sum to 95, they must sum to 100 (a 60, b 35); raise them by 5",
    )


def test_golden_example_that_does_not_reproduce(sc: Any) -> None:
    example = {"name": "达标", "inputs": {"x": 77.33}, "expect": {"total": 78.58, "rating": "fail"}}
    report = validate_document(sc.document(examples=[example]))
    assert both(_at(report.errors, "/examples/0/expect/total")) == (
        "示例 '达标' 无法复现：总分为 77.33，预期 78.58",
        "example '达标' does not reproduce: total is 77.33, expected 78.58",
    )


def test_period_of_another_kind(sc: Any) -> None:
    with pytest.raises(SubmissionRejected) as caught:
        sc.run(sc.document(), {"x": 1}, "2026-10")
    assert both(_at(caught.value.problems, "/period")) == (
        "'2026-10' 是月度期间；该规则集按季度考核",
        "'2026-10' is a month; this ruleset is evaluated per quarter",
    )


def test_an_input_of_the_wrong_type_keeps_its_label(sc: Any) -> None:
    problems = sc.rejection(sc.document(), {"x": "lots"})
    assert both(_at(problems, "/inputs/x")) == ("数值X必须是数字", "数值X must be a number")


def test_a_formula_problem_names_the_indicator_and_the_name(sc: Any) -> None:
    report = validate_document(sc.document(indicators=[sc.indicator("a", "y * 2", 100)]))
    assert both(_at(report.errors, "/indicators/0/formula")) == (
        "指标 a（指标a）：未知名称 'y'",
        "indicator a (指标a): unknown name 'y'",
    )


def test_a_schema_error_is_worded_in_both_languages(sc: Any) -> None:
    document = sc.document()
    document["indicators"][0]["weigth"] = 5
    report = validate_document(document)
    assert both(_at(report.errors, "/indicators/0/weigth")) == (
        "指标 a（指标a）：未知字段 'weigth'；是否想写 'weight'？",
        "indicator a (指标a): unknown field 'weigth'; did you mean 'weight'?",
    )


def test_a_spreadsheet_cell_that_is_not_a_number() -> None:
    with pytest.raises(ValueError) as caught:
        cell_value("6%", "number")
    assert both(caught.value.args[0]) == ("'6%' 不是数字", "'6%' is not a number")


def test_a_plain_string_cannot_be_a_message() -> None:
    """The type check that keeps English out: a message is a T() text or nothing."""
    with pytest.raises(TypeError):
        Problem("/x", "must be a number")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Problems().error("/x", "must be a number")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Issue("is required", "reason")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Invalid("the submission cannot be evaluated")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        RowProblem(2, "employee_id", "is empty")  # type: ignore[arg-type]
    assert Problem("/x", T("must be a number")).as_dict("zh-CN") == {
        "path": "/x",
        "message": "必须是数字",
    }


def test_texts_render_in_the_locale_in_force() -> None:
    issue = Issue(T("is required: say why"), "reason")
    with use_locale("zh-CN"):
        assert str(issue.message) == "为必填项：请说明原因"
    with use_locale("en"):
        assert str(issue.message) == "is required: say why"
    error = DomainError(T("a reason is required"), [issue])
    assert error.detail.render("zh-CN") == "需要填写原因"


# callables taking a message, and the position of the message among their arguments
MESSAGE_AT = {"Problem": 1, "Issue": 0, "RowProblem": 2, "error": 1, "warn": 1, "add": 2,
              "echo": 0, "Invalid": 0, "NotFound": 0, "PeriodClosed": 0, "MalformedRequest": 0,
              "Unauthenticated": 0, "Forbidden": 0, "TooLarge": 0, "UnsupportedMediaType": 0,
              "Unprocessable": 0, "TableRefused": 0, "FormulaFailure": 0, "ValueError": 0,
              "ArithmeticError": 0, "ClickException": 0, "BadParameter": 0}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{3,}")  # English written in the literal itself


def _words(node: ast.expr) -> str:
    """The text a string literal or f-string writes itself (not what it interpolates)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_words(part) for part in node.values)
    return ""


def _literal_sentences(path: Path) -> list[str]:
    """Where a module hands a message-taking call an English sentence written inline
    instead of a T() text."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        at = MESSAGE_AT.get(name)
        if at is None or len(node.args) <= at:
            continue
        if WORD.search(_words(node.args[at])):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


EXEMPT = {  # not sentences a person reads: generated source, programmer errors, the raw key
    "server/engine/formula/emitting.py",
    "server/engine/generated.py",
    "server/engine/generated_source.py",
    "server/engine/generated_report.py",
    "server/engine/source_writer.py",
    "server/engine/problems.py",
    "server/schemas.py",
    "server/config.py",
}


def test_no_sentence_is_written_inline() -> None:
    """Every message the engine, the services, the API and the CLI give is a T() text."""
    modules = [
        path
        for package in ("server/engine", "server/services", "server/api", "server/cli")
        for path in sorted((ROOT / package).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in EXEMPT
    ] + [ROOT / "admin" / "user_commands.py", ROOT / "admin" / "auth.py"]
    found = [where for path in modules for where in _literal_sentences(path)]
    assert not found, "write these through T(...):\n" + "\n".join(found)


def test_the_catalogue_has_chinese_for_every_engine_message() -> None:
    """A T() text without Chinese would render in English in zh-CN (test_catalogue.py lists
    them all; here, the catalogue is the one the engine actually renders with)."""
    catalogue = translations("zh-CN")
    for english in ("must be a number", "division by zero", "Invalid content"):
        assert catalogue.gettext(english) != english

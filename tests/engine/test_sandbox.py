"""The formula sandbox (SPEC §3.2): nothing outside the allowlist gets through.

The escapes are those of simpleeval's own security tests (test_simpleeval.py, classes
TestTryingToBreakOut, TestNewFeatures, TestCompoundTypes, TestComprehensions, TestNames,
TestDisallowedFunctions, TestBasic's slicing/`is`/f-string cases), plus ours. Each must be
refused when the ruleset is validated: a FormulaError from `check`, and an error at the
formula's path from `validate_document`. The names the escapes use (x, houdini, b, ...) are
declared, so each is refused for its construct, not for an unknown name.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from typing import Any

import pytest

from server.engine import SubmissionRejected, compile_ruleset, validate_document
from server.engine.compiler import MAX_EVALUATION_COST
from server.engine.formula import (
    LIST_ITEMS,
    MAX_NODES,
    RATINGS_ITEMS,
    FormulaError,
    Scope,
    check,
    runtime,
)
from server.engine.functions import FUNCTIONS, make_rated
from server.engine.model import MAX_LIST_ITEMS, MAX_RATINGS_PER_KIND

NUMBER_NAMES = ("x", "a", "b", "c", "m", "o", "houdini")
SCOPE = Scope(
    {**{n: "number" for n in NUMBER_NAMES}, "s": "string", "xs": "list", "r": "ratings"},
    {"r": ("superior", "peer")},
)

# (id, formula) — every one must be refused by check().
SIMPLEEVAL_ESCAPES: list[tuple[str, str]] = [
    # TestTryingToBreakOut
    ("import", "import sys"),
    ("statements", "11; x = 21; x + x"),
    ("func-globals-attr", "x.__globals__"),
    ("houdini-globals", "houdini.trapdoor.__globals__"),
    ("houdini-func-globals", "houdini.trapdoor.func_globals"),
    ("houdini-private", "houdini._quasi_private()"),
    ("mro", "b.mro()"),
    (
        "perkinslr-subclasses",
        "True.__class__.__class__.__base__.__subclasses__()[-1]"
        ".__init__.func_globals['sys'].exit(1)",
    ),
    ("format-class", '"{string.__class__}".format(string="things")'),
    ("format-map", '"{a.__class__}".format_map(c)'),
    ("fstring-class", 'f"{x.__class__}"'),
    ("fstring-globals", 'f"{x.__globals__}"'),
    ("fstring-houdini-globals", 'f"{houdini.trapdoor.__globals__}"'),
    ("fstring-houdini-func-globals", 'f"{houdini.trapdoor.func_globals}"'),
    ("fstring-houdini-private", 'f"{houdini._quasi_private()}"'),
    ("from-bytes", '(1).from_bytes(("123123123123123123123123").encode()*999999, "big")'),
    ("string-mult-left", "50000*'text'"),
    ("string-mult-right", "'text'*50000"),
    ("string-mult-nested", "('text'*50000)*1000"),
    ("string-mult-nested-left", "(50000*'text')*1000"),
    ("string-concat", "('stuff'*20000) + ('stuff'*20000)"),
    ("string-mult-name", "'stuff' * x"),
    ("fstring-mult", "f'{\"foo\"*50000}'"),
    ("bytes-mult", "'123121323123131231223'.encode() * 5000"),
    ("split-mult", "'spam spam spam'.split() * 5000"),
    ("shift-left-huge", "1<<25000"),
    ("shift-right-huge", "1>>25000"),
    ("shift-left", "x << 10"),
    ("shift-right", "1000 >> 2"),
    # TestNewFeatures
    ("lambda", "lambda x:22"),
    ("lambda-application", "(lambda x:22)(44)"),
    ("lambda-import", "(lambda: __import__('os'))()"),
    # TestBasic: things outside our allowlist
    ("set-literal", "{22}"),
    ("empty-dict", "{}"),
    ("is", "1 is 1"),
    ("is-not", "x is not None"),
    ("in-string", '"silly" in "ministry of silly walks"'),
    ("not-in-string", '"spam" not in "my breakfast"'),
    ("index-string", "'hello'[1]"),
    ("slice-string", "'hello'[::-1]"),
    ("slice-name", "s[1:3]"),
    ("fstring-plain", 'f"one is {1}"'),
    ("none", "None"),
    ("none-or", "False or None"),
    ("method-call", '"WORD".lower()'),
    ("format-method", '"{}:{}".format(1, 2)'),
    ("int-conversion", 'int("20") + int(0.22*100)'),
    ("float-conversion", 'float("42")'),
    ("str-conversion", '"Test Stuff!" + str(11)'),
    ("rand", "rand()"),
    ("randint", "randint(1000)"),
    # TestCompoundTypes / TestComprehensions
    ("dict-literal", '{"foo": "bar"}["foo"]'),
    ("dict-call", "dict(a=1)"),
    ("dict-get", '{"a": 24}.get("b", 11)'),
    ("tuple-literal", "(1, 2, 3)[1]"),
    ("empty-tuple", "()"),
    ("tuple-call", 'tuple("foo")'),
    ("list-literal", "[1, 2, 3][1]"),
    ("list-call", 'list("foo")'),
    ("in-list", '"b" in ["a","b"]'),
    ("set-call", 'set("foo")'),
    ("in-set", "2 in {1,2,3,4}"),
    ("map", "list(map(str, [-1, 0, 1]))"),
    ("dir", "dir(str)"),
    ("str-dict", "str.__dict__"),
    ("listcomp", "[a + 1 for a in [1,2,3]]"),
    ("listcomp-attr", "[a.__class__ for a in [1,2,3]]"),
    ("listcomp-names", "[a/2 for a in xs]"),
    ("genexp-sum", "sum(a+1 for a in [1,2,3,4,5])"),
    ("setcomp", "{a for a in xs}"),
    ("dictcomp", "{a: 1 for a in xs}"),
    ("nested-generators", "[j for i in range(1000) if i > 10 for j in range(i) if j < 20]"),
    ("nested-comprehensions", "[[[c for c in range(a)] for a in range(b)] for b in range(200)]"),
    ("leaking-names", '[x if x == "2" else y for x in "123"]'),
    # TestNames: assignment in all its forms
    ("assign", "a = 200"),
    ("augassign", "s += a"),
    ("assign-index", "b[0] = 11"),
    ("assign-key", "c['b'] = 99"),
    ("assign-nested-key", "c['c']['c'] = 21"),
    ("assign-attr", "a.b.c = 11"),
    ("attr-chain", "a.b.d**2"),
    ("dict-attr", "c.get('i')"),
    ("object-method", "o.method_thing()"),
    # TestDisallowedFunctions
    ("type", "type(x)"),
    ("isinstance", "isinstance(x, int)"),
    ("eval", "eval('1+1')"),
    ("exec", "exec('import os')"),
    ("getattr", "getattr(x, '__class__')"),
    ("setattr", "setattr(x, 'real', 1)"),
    ("help", "help()"),
    ("repr", "repr(x)"),
    ("compile", "compile('1', '<s>', 'eval')"),
    ("open", "open('/etc/passwd')"),
    ("dunder-import", "__import__('os').system('id')"),
    ("builtins", "__builtins__['eval']('1')"),
    ("globals", "globals()"),
    ("vars", "vars()"),
    ("breakpoint", "breakpoint()"),
]

OUR_ESCAPES: list[tuple[str, str]] = [
    ("walrus", "(y := 1)"),
    ("walrus-reuse", "(x := 5) + x"),
    ("keyword-argument", "max(x, default=0)"),
    ("keyword-round", "round(x, ndigits=2)"),
    ("double-star", "max(**{'a': 1})"),
    ("starred", "max(*xs)"),
    ("starred-list", "min(*[1, 2])"),
    ("bit-and", "x & 1"),
    ("bit-or", "x | 1"),
    ("bit-xor", "x ^ 1"),
    ("bit-invert", "~x"),
    ("matmul", "x @ x"),
    ("in-ratings", "'peer' in r"),
    ("is-number", "x is 5"),
    ("call-result", "max(1, 2)(3)"),
    ("call-conditional", "(max if x else min)(1, 2)"),
    ("call-subscript", "r['peer'](1)"),
    ("subscript-dunder", "r['__class__']"),
    ("subscript-number", "r[0]"),
    ("subscript-list", "xs[0]"),
    ("attr-on-function-result", "rated(r).__class__"),
    ("attr-on-function", "max.__self__"),
    ("attr-on-number", "x.real"),
    ("ellipsis", "..."),
    ("bytes", "b'abc' == b'abc'"),
    ("complex", "1j * x"),
    ("yield", "(yield x)"),
    ("await", "await x"),
    ("def", "def f(): pass"),
    ("class", "class A: pass"),
    ("delete", "del x"),
    ("assert", "assert x"),
    ("raise", "raise SystemExit"),
    ("from-import", "from os import system"),
    ("while", "while True: pass"),
    ("empty", "   "),
    ("huge-float-literal", "1e400"),
    ("huge-int-literal", "9" * 400),
    ("percent-format", "'%s' % x"),
    ("date-arithmetic", "period_end - period_start"),
    # deep nesting: refused, not a RecursionError or a crash
    ("nested-parentheses", "(" * 250 + "x" + ")" * 250),
    ("nested-unary", "-" * 500 + "x"),
    ("nested-not", "not " * 200 + "x"),
    ("nested-calls", "abs(" * 150 + "x" + ")" * 150),
    ("long-sum-chain", "1+" * 400 + "1"),
    ("nested-conditionals", "x if x else " * 80 + "x"),
    ("over-1000-characters", "x + 0." + "0" * 994 + "1"),
    # Unicode look-alikes normalize (NFKC) to names outside the allowlist
    ("fullwidth-eval", "ｅｖａｌ('1')"),
    ("fullwidth-import", "＿＿ｉｍｐｏｒｔ＿＿('os')"),
    ("fullwidth-open", "ｏｐｅｎ('/etc/passwd')"),
    ("fullwidth-dot", "ｘ．＿＿ｃｌａｓｓ＿＿"),
    ("fullwidth-attr", "x.＿＿ｃｌａｓｓ＿＿"),
    ("fullwidth-lambda", "ｌａｍｂｄａ: 1"),
    ("math-bold-eval", "𝐞𝐯𝐚𝐥('1')"),  # NFKC folds it to eval: an unknown function
    ("cyrillic-a-in-max", "m\u0430x(x, 1)"),  # a Cyrillic а is not folded: unknown
    ("zero-width-space-in-name", "ma\u200bx(x, 1)"),
    ("bidi-override", "x \u202e+ 1"),
    # shifts anywhere, strings over 200 characters
    ("shift-inside-call", "max(1 << 3, x)"),
    ("shift-assign", "x <<= 1"),
    ("string-over-200", "s == '" + "a" * 201 + "'"),
    ("implicit-concatenation-over-200", "s == 'a' 'b' '" + "c" * 199 + "'"),
]

ALL_ESCAPES = SIMPLEEVAL_ESCAPES + OUR_ESCAPES

# Formulas that are legal constructs but whose value explodes: they must not hang. Either the
# check refuses them or evaluating fails fast (no fallback -> the submission is rejected).
EXPLOSIONS: list[tuple[str, str]] = [
    ("simpleeval-9**9**9", "9**9**9"),
    ("simpleeval-9**9**5", "9**9**5"),
    ("simpleeval-9**9**8", "9**9**8"),
    ("tower-2", "2**2**2**2**2**2"),
    ("tower-bools", "(True+True)**(True+True)**(True+True)**(True+True)**(True+True)"),
    ("tower-bools-long", "(True+True)**" * 20 + "(True+True)"),
    ("tower-input", "x**x**x**x"),
    ("power-huge", "10**400"),
    ("power-negative-fraction", "(0-x)**0.5"),
    ("power-zero-negative", "(x-x)**(0-1)"),
    ("floor-division-by-zero", "x // (x - x)"),
    ("modulo-by-zero", "x % (x - x)"),
]


def document(formula: str) -> dict[str, Any]:
    """A document whose one indicator has `formula`; every name the escapes use is declared."""
    return {
        "role": "sandbox",
        "name": "沙箱",
        "period": "quarter",
        "inputs": {
            **{n: {"type": "number", "required": False} for n in NUMBER_NAMES},
            "s": {"type": "string", "required": False},
            "xs": {"type": "list", "required": False},
            "r": {"type": "ratings", "raters": ["superior", "peer"], "required": False},
        },
        "raters": {"superior": 60, "peer": 40},
        "dimensions": [{"key": "main", "name": "主维度"}],
        "indicators": [
            {"key": "probe", "name": "探针", "dimension": "main", "formula": formula, "weight": 100}
        ],
        "rating": [{"key": "any", "label": "任意", "min": 0, "bonus_multiplier": 1}],
    }


@pytest.mark.parametrize("text", [t for _, t in ALL_ESCAPES], ids=[i for i, _ in ALL_ESCAPES])
def test_check_refuses_escape(text: str) -> None:
    with pytest.raises(FormulaError) as caught:
        check(text, SCOPE)
    assert caught.value.messages


@pytest.mark.parametrize("text", [t for _, t in ALL_ESCAPES], ids=[i for i, _ in ALL_ESCAPES])
def test_validation_reports_escape_at_the_formula(text: str) -> None:
    report = validate_document(document(text))
    assert not report.valid
    assert "/indicators/0/formula" in {p.path for p in report.errors}


CONSTANT_EXPLOSIONS = [(i, t) for i, t in EXPLOSIONS if "x" not in t]


@pytest.mark.parametrize(
    "text", [t for _, t in CONSTANT_EXPLOSIONS], ids=[i for i, _ in CONSTANT_EXPLOSIONS]
)
def test_exploding_constant_is_refused_at_validation(text: str) -> None:
    # constant parts are computed when the formula is checked, as simpleeval refuses 9**9**9
    report = validate_document(document(text))
    assert "/indicators/0/formula" in {p.path for p in report.errors}


@pytest.mark.parametrize("text", [t for _, t in EXPLOSIONS], ids=[i for i, _ in EXPLOSIONS])
def test_exploding_formula_is_refused_or_fails_fast(text: str) -> None:
    report = validate_document(document(text))
    if not report.valid:
        assert "/indicators/0/formula" in {p.path for p in report.errors}
        return
    ruleset = compile_ruleset(document(text))
    with pytest.raises(SubmissionRejected) as caught:
        ruleset.evaluate({"x": 9}, "2025-Q3")
    [problem] = caught.value.problems
    assert problem.path == "/inputs"
    assert "probe" in problem.message and "探针" in problem.message


def test_fullwidth_function_name_normalizes_to_the_allowed_function() -> None:
    formula = check("ｍａｘ(x, 1)", SCOPE)
    assert formula.names == frozenset({"x"})
    assert formula.bind(runtime(make_rated({"superior": 1.0})))({"x": 5.0}) == 5.0


def test_fullwidth_name_normalizes_to_the_declared_input() -> None:
    assert check("ｘ + 1", SCOPE).names == frozenset({"x"})


def test_fullwidth_input_key_in_a_document_is_reported() -> None:
    doc = document("x")
    doc["inputs"]["ｙ"] = {"type": "number", "required": False}
    report = validate_document(doc)
    assert [p.path for p in report.errors] == ["/inputs/ｙ"]
    assert "'y'" in report.errors[0].message


def test_fullwidth_indicator_key_in_a_document_is_reported() -> None:
    doc = document("x")
    doc["indicators"][0]["key"] = "ｐｒｏｂｅ"
    report = validate_document(doc)
    assert "/indicators/0/key" in {p.path for p in report.errors}


# --- recursion: chains as long as the limits allow, cycles ---------------------------------


def chain(length: int) -> dict[str, Any]:
    """A document whose indicators read each other in a chain: k0 = x, ki = k(i-1) + 1."""
    indicators = [
        {"key": f"k{i}", "name": f"链{i}", "dimension": "main",
         "formula": "x" if i == 0 else f"k{i - 1} + 1", "weight": 0}
        for i in range(length)
    ]  # fmt: skip
    indicators[-1]["weight"] = 100
    return {**document("x"), "inputs": {"x": {"type": "number"}}, "indicators": indicators}


def test_the_longest_chain_of_indicators_validates_and_evaluates_without_recursing_out() -> None:
    longest = chain(500)  # the schema's most indicators
    assert validate_document(longest).valid
    result = compile_ruleset(longest).evaluate({"x": 1}, "2025-Q3")
    assert result["indicators"][-1]["value"] == 500.0


def test_a_cycle_through_the_whole_chain_is_refused_at_validation() -> None:
    looped = chain(500)
    looped["indicators"][0]["formula"] = "k499 + 1"
    report = validate_document(looped)
    assert "/indicators/0/formula" in {p.path for p in report.errors}
    assert any("cycle" in p.message for p in report.errors)


# --- the time bound of an evaluation --------------------------------------------------------


def test_the_cost_units_match_the_input_limits() -> None:
    assert LIST_ITEMS == MAX_LIST_ITEMS and RATINGS_ITEMS == MAX_RATINGS_PER_KIND


def list_reader(calls: int) -> str:
    """A formula that reads the list input `xs` `calls` times."""
    return "max(" + ",".join(["sum(xs)"] * calls) + ")"


def heaviest_document(calls: int) -> dict[str, Any]:
    doc = document(list_reader(calls))
    doc["inputs"]["xs"]["required"] = True
    return doc


def heaviest_accepted_calls() -> int:
    """The most list-reading calls the one formula of an accepted ruleset can make."""
    calls = 1
    while validate_document(heaviest_document(calls + 1)).valid:
        calls += 1
    return calls


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The values the formula functions read (a list counts its items), for rulesets compiled
    after the fixture."""
    seen = {"items": 0}

    def counting(fn: Callable[..., float]) -> Callable[..., float]:
        def wrapper(*args: Any) -> float:
            seen["items"] += sum(len(a) if isinstance(a, list) else 1 for a in args)
            return fn(*args)

        return wrapper

    for name in ("min", "max", "sum", "mean", "len", "abs", "round", "clamp", "div"):
        monkeypatch.setitem(FUNCTIONS, name, counting(FUNCTIONS[name]))
    return seen


def bytecodes(fn: Callable[[], Any], filename: str) -> int:
    """How many bytecode instructions run in code from `filename` while `fn()` runs."""
    count = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if frame.f_code.co_filename != filename:
            return None
        frame.f_trace_opcodes = True
        if event == "opcode":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def test_the_heaviest_accepted_formula_does_bounded_work_on_the_largest_inputs(counted) -> None:
    calls = heaviest_accepted_calls()
    assert 50 <= calls < 123  # the evaluation budget stops it before the 1,000 characters do
    refused = validate_document(heaviest_document(calls + 1))
    assert [p.path for p in refused.errors] == ["/indicators/0/formula"]
    assert f"{MAX_EVALUATION_COST:,}" in refused.errors[0].message

    formula = check(list_reader(calls), SCOPE)
    assert formula.cost <= MAX_EVALUATION_COST
    xs = [1.0] * MAX_LIST_ITEMS  # the longest list a submission may carry
    fn = formula.bind(runtime(make_rated({"superior": 1.0})))
    ops = bytecodes(lambda: fn({"xs": xs}), "<formula>")
    assert counted["items"] == calls * MAX_LIST_ITEMS + calls  # each sum reads the list once
    assert counted["items"] <= formula.cost
    assert ops <= 4 * MAX_NODES  # no loop in a formula: its code runs straight through once

    # the whole evaluation of that ruleset reads no more than the budget allows
    counted["items"] = 0
    result = compile_ruleset(heaviest_document(calls)).evaluate({"xs": xs}, "2025-Q3")
    assert result["indicators"][0]["value"] == float(MAX_LIST_ITEMS)
    assert 0 < counted["items"] <= MAX_EVALUATION_COST


def test_ratings_reads_count_towards_the_budget() -> None:
    formula = check("rated(r) + r['peer'] + r['superior']", SCOPE)
    assert formula.cost >= 4 * RATINGS_ITEMS  # rated: both kinds; then two means


def spread(indicators: int, calls: int) -> dict[str, Any]:
    """`indicators` indicators, each reading the list `calls` times."""
    doc = heaviest_document(calls)
    one = doc["indicators"][0]
    doc["indicators"] = [
        {**one, "key": f"p{i}", "weight": 100 / indicators} for i in range(indicators)
    ]
    return doc


def test_light_formulas_that_add_up_past_the_budget_are_refused() -> None:
    assert validate_document(spread(10, 9)).valid  # 900,000 items and some parts
    report = validate_document(spread(12, 9))  # 1,080,000 items: each formula fine alone
    assert any(f"{MAX_EVALUATION_COST:,}" in p.message for p in report.errors)


# --- the generated evaluator carries document text only as string literals ------------------

HOSTILE = "x'\"\"\"; __import__('os').system('id') #\n\\'''"


def generated_tree(doc: dict[str, Any]) -> ast.Module:
    evaluator = compile_ruleset(doc).generated_evaluator()
    assert evaluator is not None
    return ast.parse(evaluator.source)


def test_hostile_labels_reach_the_generated_evaluator_only_as_string_literals() -> None:
    benign = document("x + 1")
    hostile = document("x + 1")
    hostile["name"] = hostile["indicators"][0]["name"] = HOSTILE
    hostile["dimensions"][0]["name"] = hostile["rating"][0]["label"] = HOSTILE
    trees = [generated_tree(benign), generated_tree(hostile)]
    names = [{n.id for n in ast.walk(t) if isinstance(n, ast.Name)} for t in trees]
    assert names[0] == names[1]  # no name came from the text
    assert HOSTILE in {n.value for n in ast.walk(trees[1]) if isinstance(n, ast.Constant)}
    for node in ast.walk(trees[1]):
        assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Lambda, ast.Global))
        if isinstance(node, ast.Attribute):
            assert not node.attr.startswith("_"), node.attr

"""Every module of server/ and admin/ imports on its own, in a fresh interpreter.

A module that only imports after some other module was imported first is half of an import
cycle; one fresh process per module (forked in parallel from an interpreter that imported
none of the project) catches it the day it is written. The
layers are checked too: the services import neither flask nor werkzeug, and nothing outside
server/storage imports peewee.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("server", "admin")


def module_names() -> list[str]:
    """Every module of the project's packages, by its dotted name."""
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


# Runs in a fresh interpreter that has imported no module of the project: it loads the
# third-party libraries once (they cannot import our modules), then forks one child per
# module, so each child imports its module into an interpreter that never saw the project.
FORKING_IMPORTER = r"""
import json, os, sys, traceback
import argon2, click, flask, flask_admin, flask_babel, flask_wtf, jsonschema, peewee, psycopg2
import simpleeval, yaml
from playhouse import pool
assert not any(m.split(".")[0] in ("server", "admin") for m in sys.modules)
failed, running, workers = {}, {}, int(sys.argv[1])
names = json.loads(sys.stdin.read())
for name in names + [None] * workers:
    while running and (name is None or len(running) >= workers):
        pid, status = os.wait()
        done = running.pop(pid)
        if status:
            failed[done] = "exit status %d" % os.waitstatus_to_exitcode(status)
    if name is None:
        continue
    pid = os.fork()
    if pid == 0:
        try:
            __import__(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    running[pid] = name
print(json.dumps(failed))
"""


def test_every_module_imports_alone_in_a_fresh_interpreter():
    names = module_names()
    assert "server.services.storing" in names and "admin.views.draft_pages" in names
    result = subprocess.run(
        [sys.executable, "-c", FORKING_IMPORTER, str(os.cpu_count() or 2)],
        cwd=ROOT,
        input=json.dumps(names),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}, result.stderr


def _imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("server/services", {"flask", "werkzeug"}), ("server/engine", {"flask", "peewee"})],
)
def test_a_lower_layer_imports_no_web_library(folder, forbidden):
    offending = {
        str(path.relative_to(ROOT)): sorted(_imported(path) & forbidden)
        for path in (ROOT / folder).rglob("*.py")
        if _imported(path) & forbidden
    }
    assert offending == {}


def test_only_storage_imports_peewee():
    outside = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "storage" not in path.relative_to(ROOT).parts[:2]
        and _imported(path) & {"peewee", "playhouse"}
    ]
    assert outside == []

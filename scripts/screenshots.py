"""Screenshots of the console's main pages, taken in headless Chromium from a live server.

    .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]      (default: docs/screenshots)

Publishes the regional sales manager ruleset twice (the second moves weight to sales), stores
a quarter of results through the API, then visits the pages as HR and as an auditor.
"""

from __future__ import annotations

import copy
import random
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.engine import load_document  # noqa: E402
from tests.admin.live import chromium, live_server, log_in  # noqa: E402

ROLE = "regional_sales_manager"
PERIOD = "2025-Q2"
EMPLOYEES = 40


def documents() -> list[tuple[dict, str, str]]:
    first = load_document((ROOT / "rulesets" / f"{ROLE}.yaml").read_text(encoding="utf-8"))
    second = copy.deepcopy(first)
    weights = {i["key"]: i for i in second["indicators"]}
    weights["sales_attainment"]["weight"] = 24
    weights["profit_contribution"]["weight"] = 11
    adjustments = {a["key"]: a for a in second["adjustments"]}
    adjustments["new_hire"]["weights"]["sales_attainment"] = (
        20  # each adjustment keeps its own change
    )
    adjustments["market_expansion"]["weights"]["profit_contribution"] = 7
    second["examples"] = [e for e in second["examples"] if e["name"] == "全面达标"]
    second["examples"][0]["expect"] = {
        "total": 96.31,
        "rating": "excellent",
    }  # 100x24 + 100x11 = 100x22 + 100x13
    return [
        (first, "2025-Q1", "初版:依据《销售经理绩效考核标准》"),
        (second, "2025-Q3", "销售额权重上调至24%"),
    ]


def varied(inputs: dict, rng: random.Random) -> dict:
    """A plausible employee: the example's inputs with each amount moved by up to ±35%."""
    result = copy.deepcopy(inputs)
    for name in ("actual_sales", "actual_profit", "team_actual_sales", "repeat_purchase_amount"):
        result[name] = round(result[name] * rng.uniform(0.55, 1.2))
    result["collected_amount"] = round(result["actual_sales"] * rng.uniform(0.6, 1.0))
    result["morale_survey"] = rng.randint(55, 98)
    result["satisfaction_survey"] = rng.randint(60, 98)
    result["strategy_rating"] = {"superior": rng.randint(55, 98)}
    return result


def seed_results(base: str, key: str, document: dict) -> None:
    rng = random.Random(7)
    template = next(e for e in document["examples"] if e["name"] == "全面达标")["inputs"]
    items = [
        {
            "role": ROLE,
            "period": PERIOD,
            "employee_id": f"E{n:03d}",
            "inputs": varied(template, rng),
        }
        for n in range(1, EMPLOYEES + 1)
    ]
    response = requests.post(
        f"{base}/api/v1/evaluations/batch",
        json={"items": items},
        timeout=60,
        headers={"Authorization": f"Bearer {key}"},
    )
    response.raise_for_status()


def bad_csv(document: dict) -> bytes:
    """A file of three employees, one with a typo and one with a missing score."""
    template = next(e for e in document["examples"] if e["name"] == "全面达标")["inputs"]
    header = ["employee_id"] + [k for k in template if not isinstance(template[k], dict)]
    header += [f"{k}.{kind}" for k, v in template.items() if isinstance(v, dict) for kind in v]
    rows = []
    for n in range(3):
        values = {k: v for k, v in template.items() if not isinstance(v, dict)}
        values.update(
            {
                f"{k}.{kind}": ", ".join(map(str, s)) if isinstance(s, list) else s
                for k, v in template.items()
                if isinstance(v, dict)
                for kind, s in v.items()
            }
        )
        values["employee_id"] = f"N{n + 1:03d}"
        if n == 1:
            values["actual_sales"] = "一千万"
        if n == 2:
            values["morale_survey"] = ""
        rows.append(",".join(f'"{values.get(c, "")}"' for c in header))
    return ("\n".join([",".join(header), *rows]) + "\n").encode("utf-8")


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        live_server(Path(tmp) / "shots.db", documents()) as server,
    ):
        base = server.url
        seed_results(base, server.api_key, documents()[0][0])
        with chromium() as browser:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
            page = context.new_page()
            log_in(page, base, "hr")
            page.goto(f"{base}/admin/")
            page.screenshot(path=str(out / "dashboard.png"), full_page=True)

            page.goto(f"{base}/admin/versions/{ROLE}/2")
            page.click("#draft-from-version")
            page.wait_for_selector("#draft-form")
            page.fill("#indicators-1-formula", "actual_profit / target_proft * 100")
            page.click("#save-draft")
            page.locator('[data-error-for="indicators-1-formula"]').scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -260)")
            page.screenshot(path=str(out / "draft-editor.png"))

            draft_url = page.url.split("#")[0]
            page.fill("#indicators-1-formula", "actual_profit / target_profit * 100")
            page.fill("#indicators-1-points-1-x", "110")
            page.fill("#indicators-1-points-1-score", "110")
            with page.expect_navigation():
                page.click("#save-draft")
            page.goto(draft_url + "try?example=0")
            page.click("#run-try")
            page.wait_for_selector("#result-total")
            page.screenshot(path=str(out / "draft-try.png"))
            page.goto(draft_url + "publish")
            page.fill("#note", "利润贡献度超额计分上限由120调整为110")
            page.screenshot(path=str(out / "draft-publish.png"))

            page.goto(f"{base}/admin/import/")
            page.fill("#period", "2025-Q3")
            page.set_input_files(
                "#file",
                files=[
                    {
                        "name": "2025-Q3.csv",
                        "mimeType": "text/csv",
                        "buffer": bad_csv(documents()[0][0]),
                    }
                ],
            )
            page.click("#import-button")
            page.wait_for_selector("#import-errors:not(.d-none)")
            page.screenshot(path=str(out / "import.png"))
            context.close()

            context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
            page = context.new_page()
            log_in(page, base, "auditor")
            page.goto(f"{base}/admin/versions/compare?role={ROLE}&a=1&b=2")
            page.screenshot(path=str(out / "compare.png"))
            page.goto(f"{base}/admin/results/?role={ROLE}&period={PERIOD}")
            page.click("text=E007")
            page.wait_for_selector("#result-total")
            page.screenshot(path=str(out / "result.png"), full_page=True)
            page.goto(f"{base}/admin/results/distribution?role={ROLE}&period={PERIOD}")
            page.screenshot(path=str(out / "distribution.png"), full_page=True)
            page.goto(f"{base}/admin/impact/?role={ROLE}&period={PERIOD}&target=version:2")
            page.screenshot(path=str(out / "impact.png"))
            page.goto(f"{base}/admin/audit/")
            page.screenshot(path=str(out / "audit.png"))
            context.close()


if __name__ == "__main__":
    shoot(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")

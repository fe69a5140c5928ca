"""Hostile text in the data stays text, on every page.

A scratch copy of the project (ANALYSIS_ROOT) gets a hostile string appended to every value of every free-text
field of every curated table (script tags, event handlers, javascript: links, Markdown links and images, a
`</script>` that would close the JSON-LD, template braces, Markdown emphasis), spread so that each field carries
several of them. It must still validate; every report is rendered from it once; then each page, the index
included, is opened in Chromium with the network blocked: no dialog opens, no injected script runs, no request
leaves, no error is logged, the JSON-LD still parses, and wherever a payload's marker shows on the page the whole
payload shows, literally.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import settings
from analysis.build.browser import CHROMIUM, CHROMIUM_ARGS
from analysis.data.designations import designation

pytestmark = pytest.mark.slow

ANALYSIS = Path(sys.executable).with_name("analysis")
# Each carries a marker (XSS1...) that shows only as part of the literal text, or as what a rendering made of it.
PAYLOADS = [
    "XSS1<script>window.__pwned = 1</script>",
    "XSS2<img src=x onerror=alert(2)>",
    "[XSS3](javascript:window.__pwned=3)",
    "![XSS4](https://example.invalid/x.png)",
    "XSS5</script><script>window.__pwned = 5</script>",
    "XSS6 {{ 7*7 }} {% if true %}x{% endif %} {x.attr}",
    "*XSS7* and _XSS7_under_score_",
    '<a href="javascript:window.__pwned=8">XSS8</a>',
    'XSS9 <b onmouseover="window.__pwned=9" style="x:expression(alert(9))">b</b> & &lt;',
]


def free_text_fields(resource: dict) -> list[str]:
    """String fields a contributor writes freely: no enum or pattern, not a key, not a reference."""
    schema = resource["schema"]
    keys = (
        set(schema.get("primaryKey") or [])
        if isinstance(schema.get("primaryKey"), list)
        else {schema.get("primaryKey")}
    )
    keys |= {f for fk in schema.get("foreignKeys", []) for f in fk["fields"]}
    return [
        f["name"]
        for f in schema["fields"]
        if f["type"] == "string" and f["name"] not in keys and not {"enum", "pattern"} & set(f.get("constraints", {}))
    ]


def poison(curated: Path) -> list[str]:
    """Append payloads to every free-text value of every table; returns the table.field names poisoned."""
    package = json.loads((curated / "datapackage.json").read_text(encoding="utf-8"))
    poisoned, k = [], 0
    for resource in package["resources"]:
        fields = free_text_fields(resource)
        if not fields:
            continue
        path = curated / resource["path"]
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
            header = list(rows[0].keys()) if rows else []
        for row in rows:
            for field in fields:
                if row[field]:
                    row[field] = f"{row[field]} {PAYLOADS[k % len(PAYLOADS)]}"
                    k += 1
            if "designation" in row:  # derived from the name, which validation checks
                row["designation"] = designation(row["missile_name"])
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        poisoned += [f"{resource['name']}.{field}" for field in fields]
    return poisoned


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(settings.DATA_DIR / "curated", root / "data" / "curated")
    shutil.copytree(settings.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    poisoned = poison(root / "data" / "curated")
    env = {**os.environ, "ANALYSIS_ROOT": str(root)}
    checked = subprocess.run([ANALYSIS, "validate"], capture_output=True, text=True, env=env, timeout=120)
    assert checked.returncode == 0, f"the hostile tables must pass validation:\n{checked.stdout}{checked.stderr}"
    rendered = subprocess.run([ANALYSIS, "render", "--jobs", "2"], capture_output=True, text=True, env=env, timeout=900)
    assert rendered.returncode == 0, f"render failed:\n{rendered.stdout}\n{rendered.stderr}"
    return root, poisoned


def test_every_free_text_field_is_poisoned(hostile_project):
    _, poisoned = hostile_project
    assert {
        "diplomatic_events.title",
        "missile_tests.missile_name",
        "sources.title",
        "claims.quote",
        "sanctions.measures",
        "nuclear_tests.dprk_claim",
    } <= set(poisoned)


READ_PAGE = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  document.querySelectorAll('.plotly-chart').forEach(c => c.style.display = 'none');
  const ld = [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => {
    try { JSON.parse(s.textContent); return true; } catch (e) { return false; } });
  return {text: document.body.innerText, pwned: window.__pwned === undefined ? null : String(window.__pwned),
          jsonld: ld, links: [...document.querySelectorAll('a[href^="javascript:" i]')].length,
          images: [...document.querySelectorAll('img')].map(i => i.getAttribute('src'))};
}"""


def test_hostile_text_stays_text_on_every_page(hostile_project):
    if not CHROMIUM.exists():
        pytest.skip(f"no headless Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    root, _ = hostile_project
    pages = sorted((root / "reports").glob("*.html"))
    assert len(pages) >= 2 and (root / "reports" / "index.html") in pages
    shown = set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in pages:
            page = browser.new_page()
            dialogs, requests, errors = [], [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if r.request.url.startswith("file:") else (requests.append(r.request.url), r.abort())
                ),
            )
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            found = page.evaluate(READ_PAGE)
            page.close()
            where = path.name
            assert dialogs == [], f"{where}: a dialog opened: {dialogs}"
            assert found["pwned"] is None, f"{where}: injected script ran ({found['pwned']})"
            assert requests == [], f"{where}: requests left the page: {requests}"
            assert errors == [], f"{where}: {errors}"
            assert all(found["jsonld"]), f"{where}: a JSON-LD block no longer parses"
            assert found["links"] == 0, f"{where}: a javascript: link"
            # embedded, or the front page's own pictures
            own = [src for src in found["images"] if src and src.startswith(("data:", "thumbs/"))]
            assert own == found["images"], f"{where}: images {found['images']}"
            for i, payload in enumerate(PAYLOADS, 1):
                if f"XSS{i}" in found["text"]:
                    assert payload in found["text"], f"{where}: payload {i} shows, but not literally: {payload!r}"
                    shown.add(i)
            if path.name != "index.html":
                assert any(f"XSS{i}" in found["text"] for i in range(1, len(PAYLOADS) + 1)), (
                    f"{where}: no data text shown"
                )
        browser.close()
    assert shown == set(range(1, len(PAYLOADS) + 1)), f"payloads never shown literally: {set(range(1, 10)) - shown}"

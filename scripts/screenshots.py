"""Take the README's screenshots from a running demo: python scripts/screenshots.py URL OUT_DIR.

Uses the system's Chromium through Playwright (never `playwright install`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from sqm.demo.showcase import DEMO_PASSWORD

PAGES = (
    ("analyst", "/", "home-zh.png", None),
    ("manager_nj", "/", "home-branch-manager.png", None),
    ("handler_nj", "/", "home-handler.png", None),
    ("executive", "/", "home-executive.png", None),
    ("reviewer", "/spam/", "spam-queue.png", None),
    ("analyst", "/indicators/", "indicators-matrix.png", None),
    ("analyst", "/indicators/i/hotline_service_level_15s/?branch=NJ", "indicator-page.png", None),
    ("manager_nj", "/indicators/branch/NJ/", "indicators-branch.png", None),
    ("analyst", "/indicators/competitors/", "indicators-competitors.png", None),
    ("analyst", "/assessment/", "assessment-ranking.png", None),
    ("analyst", "/assessment/branch/NJ/", "assessment-scorecard.png", None),
    ("analyst", "/", "home-en.png", "en"),
)


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update"],
        )
        for user, path, name, language in PAGES:
            context = browser.new_context(viewport={"width": 1360, "height": 900})
            if language:
                context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            page = context.new_page()
            page.goto(base + "/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.goto(base + path)
            page.screenshot(path=str(out / name), full_page=len(sys.argv) > 3)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))

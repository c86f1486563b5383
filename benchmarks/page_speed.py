"""Page speed as each demo role meets it: every menu entry and the main drill-downs, p50/p90.

    .venv/bin/sqm demo --scale small --no-serve --data-dir var/bench/demo-small   # once
    .venv/bin/python benchmarks/page_speed.py --data-dir var/bench/demo-small [--repeat 5]

Signs in each demo user (``sqm.demo.showcase.DEMO_USERS``) with Django's test client on the
demo's own database, reads the menu from the home page (the sidebar's links, so a role is timed
on exactly what it can open), adds the drill-downs a person follows from there (the first
indicator, branch, work order, case … linked from the pages it opened) and requests each page
``--repeat`` times: the first request of a page is counted apart (a cold cache is what the first
visitor of the day meets), the others give p50/p90. Static assets are checked too: whether a
page's stylesheets and scripts come compressed and with a far-future ``Cache-Control``.

Pages are requested in one process, on one core, through the whole middleware stack (no network
and no browser: what the server spends, which is what caching and computing once can change).
``--json FILE`` saves the measurements; ``--language en`` times the English UI.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

LINK = re.compile(r'href="(/[^"#?]*)(?:\?[^"#]*)?"')
NAV = re.compile(r'class="nav-item[^"]*" href="(/[^"]*)"')
ASSET = re.compile(r'(?:href|src)="(/(?:static|assets)/[^"]+)"')
# Drill-downs: a page reached from a menu entry whose path says it is one object.
DETAIL = re.compile(
    r"^/(?:indicators/i/[a-z0-9_.\-]+/|indicators/branch/[A-Z]+/|complaints/TT\d+/|"
    r"tracing/cases/[^/]+/|spam/cases/\d+/|voc/[a-z_\-]+/|planning/\d+/|planning/compare/|"
    r"improvement/[a-z\-]+/\d+/)$"
)
SKIP = re.compile(r"/(?:export|logout|download|csv|xlsx|pdf)\b|\.(?:xlsx|pdf|csv)$")


def _setup(data_dir: Path) -> None:
    os.environ["SQM_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sqm.config.settings")
    key = data_dir / "secret_key"
    if "SQM_SECRET_KEY" not in os.environ and key.exists():
        os.environ["SQM_SECRET_KEY"] = key.read_text().strip()
    import django

    django.setup()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    at = share * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def _timed(client: Any, url: str) -> tuple[float, Any]:
    started = time.perf_counter()
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return (time.perf_counter() - started) * 1000, response


def _pages(client: Any, home: str, drilldowns: int) -> list[str]:
    menu = list(dict.fromkeys(NAV.findall(home)))
    pages = list(menu)
    for url in menu:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        found = [u for u in LINK.findall(response.content.decode()) if DETAIL.match(u)]
        for link in list(dict.fromkeys(found))[:drilldowns]:
            if link not in pages and not SKIP.search(link):
                pages.append(link)
    return pages


def _assets(client: Any, html: str) -> list[dict[str, Any]]:
    rows = []
    for url in dict.fromkeys(ASSET.findall(html)):
        response = client.get(url.replace("&amp;", "&"), HTTP_ACCEPT_ENCODING="gzip, br")
        body = (
            b"".join(response.streaming_content)
            if hasattr(response, "streaming_content")
            else response.content
        )
        rows.append(
            {
                "url": url,
                "status": response.status_code,
                "bytes": len(body),
                "encoding": response.get("Content-Encoding", ""),
                "cache_control": response.get("Cache-Control", ""),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a `sqm demo` data dir")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page (after the first)")
    parser.add_argument("--drilldowns", type=int, default=2, help="detail links per menu page")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--only", action="append", help="demo user(s) to time (default: all)")
    parser.add_argument("--json", type=Path, help="save the measurements here")
    args = parser.parse_args()
    _setup(args.data_dir.resolve())

    from django.contrib.auth import get_user_model
    from django.test import Client

    from sqm.demo.showcase import DEMO_USERS

    users = get_user_model().objects
    rows: list[dict[str, Any]] = []
    assets: list[dict[str, Any]] = []
    print(f"{'user':<16} {'page':<44} {'status':>6} {'first':>8} {'p50':>8} {'p90':>8}  ms")
    for demo in DEMO_USERS:
        if args.only and demo.username not in args.only:
            continue
        client = Client(HTTP_HOST="127.0.0.1")  # a host the demo allows
        client.cookies["django_language"] = args.language
        client.force_login(users.get(username=demo.username))
        home = client.get("/").content.decode()
        if not assets:
            assets = _assets(client, home)
        for url in ["/", *_pages(client, home, args.drilldowns)]:
            if url == "/" and rows and rows[-1]["user"] == demo.username:
                continue
            first, response = _timed(client, url)
            times = [_timed(client, url)[0] for _ in range(args.repeat)]
            row = {
                "user": demo.username,
                "page": url,
                "status": response.status_code,
                "first_ms": round(first, 1),
                "p50_ms": round(_percentile(times, 0.5), 1),
                "p90_ms": round(_percentile(times, 0.9), 1),
            }
            rows.append(row)
            print(
                f"{demo.username:<16} {url[:44]:<44} {row['status']:>6} {row['first_ms']:>8.1f} "
                f"{row['p50_ms']:>8.1f} {row['p90_ms']:>8.1f}"
            )
            sys.stdout.flush()
    ok = [r for r in rows if r["status"] == 200]
    p90s = [r["p90_ms"] for r in ok]
    print()
    print(
        f"{len(ok)} pages answered 200 of {len(rows)} requested; over pages: median p50 "
        f"{statistics.median(r['p50_ms'] for r in ok):.1f} ms, median p90 "
        f"{statistics.median(p90s):.1f} ms, worst p90 {max(p90s):.1f} ms "
        f"({max(ok, key=lambda r: r['p90_ms'])['page']}), pages over 500 ms at p90: "
        f"{sum(p > 500 for p in p90s)}; worst first request "
        f"{max(r['first_ms'] for r in ok):.1f} ms ({max(ok, key=lambda r: r['first_ms'])['page']})"
    )
    print()
    print(f"{'static asset':<60} {'bytes':>9} {'encoding':>8}  cache-control")
    for a in assets:
        print(
            f"{a['url'][:60]:<60} {a['bytes']:>9,} {a['encoding'] or '-':>8}  {a['cache_control']}"
        )
    if args.json:
        args.json.write_text(json.dumps({"pages": rows, "assets": assets}, indent=1))


if __name__ == "__main__":
    main()

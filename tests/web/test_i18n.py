"""Chinese first, English by choice, and a catalog that is complete and compiled."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import require

LOCALE = Path(settings.LOCALE_PATHS[0])
# The project's catalog and each app's own (spam, voc, complaints, indicators keep theirs).
CATALOGS = sorted(
    path.parent for path in (Path(settings.PACKAGE_DIR)).glob("**/locale/*/LC_MESSAGES/django.po")
)
ENGLISH_CATALOGS = [folder for folder in CATALOGS if folder.parts[-2] == "en"]


def _name(folder: Path) -> str:
    return str(folder.relative_to(settings.PACKAGE_DIR).parent)


def _msgfmt() -> str:
    msgfmt = shutil.which("msgfmt")
    require(msgfmt is not None, "gettext's msgfmt not installed")
    return str(msgfmt)


@pytest.mark.django_db
def test_the_english_page_shows_english_labels(client_for: Callable[[str], Client]) -> None:
    client = client_for("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/inventory/").content.decode()
    for label in (
        '<html lang="en">',
        "Home",
        "Organisation",
        "Provincial departments",
        "Loaded data",
        "Hotline calls",
        "Sign out",
        "Administrator",
        "Nanjing",
        "Residential",
    ):
        assert label in html, label
    assert "首页" not in html and "退出" not in html


@pytest.mark.django_db
def test_the_english_home_speaks_english(client_for: Callable[[str], Client]) -> None:
    client = client_for("handler_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    for label in ("My overdue work orders", "Callbacks due", "See all", "Complaint handler"):
        assert label in html, label
    assert "我的超时工单" not in html and "查看全部" not in html


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_chinese(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("analyst").get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_switch_stores_the_choice_and_returns_to_the_page(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("analyst")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert client.get("/")["Content-Language"] == "zh-hans"


def test_an_unknown_language_cookie_falls_back_to_chinese() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/login/")["Content-Language"] == "zh-hans"


def test_there_is_an_english_catalog_for_the_project_and_each_app_with_its_own() -> None:
    assert {_name(folder) for folder in ENGLISH_CATALOGS} >= {
        "locale/en",
        "spam/locale/en",
        "voc/locale/en",
        "complaints/locale/en",
    }


@pytest.mark.parametrize("folder", ENGLISH_CATALOGS, ids=_name)
def test_the_english_catalog_translates_every_string(folder: Path) -> None:
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(folder / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("folder", CATALOGS, ids=_name)
def test_the_committed_mo_is_compiled_from_the_committed_po(folder: Path, tmp_path: Path) -> None:
    # `make messages` compiles; a .po edited without it would leave the UI showing old text.
    fresh = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "-o", str(fresh), str(folder / "django.po")], check=True)

    def catalog(path: Path) -> dict[object, str]:
        with path.open("rb") as handle:
            return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]

    assert catalog(folder / "django.mo") == catalog(fresh)

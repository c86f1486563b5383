"""Django settings, read from the environment with embedded defaults.

The defaults run SQM on one machine with nothing installed beside it: SQLite for the OLTP
database and Parquet files for the event store, both under ``SQM_DATA_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SQM_DATA_DIR", "./var")).resolve()

DEBUG = os.environ.get("SQM_DEBUG", "0").lower() in {"1", "true", "yes", "on"}

# A key that ships in the source is public: it is only ever used with DEBUG on. The `sqm` command
# writes a random per-installation key to the data dir on first use (see sqm.cli), so the
# two-command demo never needs the development key.
DEVELOPMENT_SECRET_KEY = "sqm-development-only-key-do-not-use-in-production"
SECRET_KEY_FILE = DATA_DIR / "secret_key"
SECRET_KEY = os.environ.get("SQM_SECRET_KEY", "").strip() or (
    SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.is_file() else ""
)
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "No secret key: set SQM_SECRET_KEY (or run `sqm` once to create "
            f"{SECRET_KEY_FILE}); SQM refuses the development key while DEBUG is off."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SQM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SQM_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Listed so that ninja's API docs render with the Swagger UI files shipped in its wheel
    # (served by WhiteNoise) instead of loading them from a CDN: SQM runs with no internet.
    "ninja",
    "sqm.org",
    "sqm.events",
    "sqm.indicators",
    "sqm.complaints",
    # What the TM Forum APIs share: their event hub's listener registrations.
    "sqm.tmf",
    "sqm.demo",
    "sqm.planning",
    "sqm.spam",
    "sqm.voc",
    "sqm.tracing",
    "sqm.notifications",
    "sqm.improvement",
    "sqm.assessment",
    "sqm.web",
]

MIDDLEWARE = [
    # First, so that it also compresses what WhiteNoise answers (stylesheets, scripts: it has
    # no pre-compressed copies without collectstatic) and every page; Django's own mitigation
    # pads the compressed body against BREACH. Plotly's bundle comes gzipped already.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the same process (waitress has no file server): `sqm serve` needs
    # nothing beside it.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese first: the language comes from the user's switch (a cookie), never from the
    # browser's Accept-Language (see sqm.web.middleware).
    "sqm.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A busy database or a lost race is a 503 or 409 the client can retry, never a 500.
    "sqm.lib.database_busy.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "sqm.config.urls"
WSGI_APPLICATION = "sqm.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sqm.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sqm.sqlite3'}"),
        conn_max_age=int(os.environ.get("SQM_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer commits; the busy timeout makes a writer wait for
    # the lock instead of failing with "database is locked". It only helps a transaction that
    # takes the write lock at BEGIN: one that began as a reader (BEGIN DEFERRED) and then
    # writes gets SQLITE_BUSY at once, without waiting, when another writer committed since
    # its first read. IMMEDIATE makes every atomic block a writer from its BEGIN.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A session whose client is gone must not keep its row locks (a sweep re-run after a kill
    # -9 would find its rows taken): the server checks the client during a running query,
    # ends a transaction left idle, and TCP keepalives find a vanished peer in both directions.
    # Values in seconds, unit-suffixed for PostgreSQL; SQM_PG_IDLE_IN_TRANSACTION_TIMEOUT
    # raises the idle limit for long manual sessions.
    idle = os.environ.get("SQM_PG_IDLE_IN_TRANSACTION_TIMEOUT", "60s")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "options": (
                f"-c idle_in_transaction_session_timeout={idle}"
                " -c client_connection_check_interval=1s"
                " -c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10"
                " -c tcp_keepalives_count=3"
            ),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("SQM_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves straight from the apps' static folders (its index is built once at
# start-up), so an installed SQM needs no collectstatic step and writes nothing for it.
WHITENOISE_USE_FINDERS = True
# Every static URL carries its content's hash (sqm.web.static_files), so browsers may keep
# the files for a year; compressed on the way out by GZipMiddleware (see MIDDLEWARE).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "sqm.web.static_files.VersionedStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 0 if DEBUG else 365 * 24 * 3600

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# "Show number": how many full phone numbers one user may reveal per hour (each one audited);
# past it a reveal is refused and logged as denied.
SQM_REVEALS_PER_HOUR = int(os.environ.get("SQM_REVEALS_PER_HOUR", "20"))

# Mail (notifications): the console backend prints mails to the log until an SMTP server is
# configured; see the README's configuration section.
EMAIL_BACKEND = os.environ.get(
    "SQM_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("SQM_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("SQM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SQM_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SQM_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SQM_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SQM_EMAIL_USE_TLS", "0").lower() in {"1", "true", "yes", "on"}
EMAIL_USE_SSL = os.environ.get("SQM_EMAIL_USE_SSL", "0").lower() in {"1", "true", "yes", "on"}
EMAIL_TIMEOUT = int(os.environ.get("SQM_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("SQM_EMAIL_FROM", "SQM <sqm@localhost>")
# The address mails link to (a mail has no request to take the host from).
SQM_SITE_URL = os.environ.get("SQM_SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("SQM_SECURE_COOKIES", "0") == "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SQM_LOG_LEVEL", "WARNING")},
}

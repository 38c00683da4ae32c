"""Settings, all from the environment so one build serves laptop, intranet server and CI.

DATABASE_URL   default: SQLite file in the data folder (WAL); postgres://... for PostgreSQL
REDIS_URL      unset: a cache per process, sessions in the database; redis://... shared cache and sessions
SECRET_KEY     default: generated once into the data folder
DEBUG          "1"/"true" to enable
ALLOWED_HOSTS  comma separated
YUANQU_DATA_DIR  where the SQLite file, uploads and generated documents live (kept 700, the file 600)
YUANQU_HTTPS   "1" behind an HTTPS proxy: Secure cookies, HSTS, redirect to https (docs/operations.md)
YUANQU_LOGIN_FAILURE_LIMIT, YUANQU_LOGIN_LOCKOUT_MINUTES  login throttling (django-axes)
YUANQU_MAX_REQUEST_MB, YUANQU_MAX_FORM_MB  request bodies refused (413) before they are read
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout root when running from source (src layout); else the working directory.
_source_root = PACKAGE_DIR.parent.parent
PROJECT_DIR = _source_root if (_source_root / "pyproject.toml").exists() else Path.cwd()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}=“{value}”应为整数。") from None


def _private_dir(path: Path) -> Path:
    """The data folder holds the database, the secret key and every attachment: only the
    platform's own user may enter it (700), whatever the umask it was started under."""
    if not path.exists():
        path.mkdir(parents=True)
        path.chmod(0o700)
    return path


def _private_sqlite(name: str) -> None:
    """An SQLite file (and its WAL companions, which SQLite creates with the file's mode) readable
    by its owner only: created empty at 600 before SQLite would create it at 644, and an older
    install's file tightened."""
    path = Path(name)
    if name == ":memory:" or name.startswith("file:") or not path.parent.is_dir():
        return
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for each in (path, Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            if each.exists() and each.stat().st_mode & 0o077:
                each.chmod(0o600)
        except PermissionError:  # someone else's file: not ours to change
            pass


DATA_DIR = _private_dir(Path(os.environ.get("YUANQU_DATA_DIR", PROJECT_DIR / "var")).resolve())

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; else one generated once and kept in the data folder,
    so an intranet install is never left on a published default key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        # Written private from the start and moved into place whole, so a process starting at
        # the same moment never reads half a key.
        tmp = DATA_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(get_random_secret_key())
        if not path.exists():
            os.replace(tmp, path)
        else:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# ---------------------------------------------------------------- HTTPS (docs/operations.md)
# YUANQU_HTTPS=1 when the platform is reached over HTTPS, normally through a reverse proxy that
# ends TLS and tells us so in X-Forwarded-Proto (gunicorn then listens on 127.0.0.1 only, so no
# one can send that header but the proxy). `yuanqu check --deploy` is clean with it.
HTTPS = env_bool("YUANQU_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("YUANQU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("YUANQU_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("YUANQU_HSTS_INCLUDE_SUBDOMAINS", True)
_proxy_header = os.environ.get("YUANQU_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
if HTTPS and _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# The HSTS preload list is for public names; an intranet host can never be on it. axes.W006: see
# AXES_LOCKOUT_PARAMETERS.
SILENCED_SYSTEM_CHECKS = ["security.W021", "axes.W006"]

# ---------------------------------------------------------------- Content-Security-Policy (django-csp)
# Scripts only from our own static files: no inline <script>, no on…= handlers, no eval (htmx's
# eval is off in base.html). Styles allow 'unsafe-inline': the templates' style="" attributes,
# ECharts' SVG and tooltips and Bootstrap's components set inline styles, and htmx adds its
# indicator <style>; a style cannot run script, and autoescaping keeps injected markup out.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # Bootstrap's icons inside its CSS are data: URLs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "yuanqu.core.apps.AxesConfig",  # django-axes, with a Chinese name
    "csp",
    "django_tasks",
    "yuanqu.core.apps.TasksConfig",  # django_tasks_db, with a Chinese name
    "yuanqu.core",
    "yuanqu.org",
    "yuanqu.plans",
    "yuanqu.supervision",
    "yuanqu.assessment",
    "yuanqu.land",
    "yuanqu.reports",
    "yuanqu.cockpit",
    "yuanqu.enterprises",
    "yuanqu.chains",
    "yuanqu.investment",
    "yuanqu.projects",
    "yuanqu.approvals",
    "yuanqu.visits",
    "yuanqu.indicators",
    "yuanqu.disputes",
    "yuanqu.inspections",
    "yuanqu.party",
    "yuanqu.cleanup",
    "yuanqu.grid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Any error answer under /api/ in the API's JSON error shape, also Django's own (core.middleware).
    "yuanqu.core.middleware.ApiErrorShapeMiddleware",
    # A database locked past the busy timeout is a 503 to retry, never a 500 (core.middleware).
    "yuanqu.core.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Bodies over the limit are refused (413) before anything reads them (core.security).
    "yuanqu.core.security.RequestSizeLimitMiddleware",
    # Keeps the answer of an API POST sent with an Idempotency-Key for its retries (core.idempotency).
    "yuanqu.core.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yuanqu.core.middleware.VaryOnHtmxMiddleware",
    # A POST meeting an expired session is kept and brought back after login (core.kept_forms).
    "yuanqu.core.kept_forms.KeptFormMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page (core.security).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yuanqu.urls"
WSGI_APPLICATION = "yuanqu.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"
# A refused CSRF check shows a Chinese page and keeps what was typed (core.kept_forms).
CSRF_FAILURE_VIEW = "yuanqu.core.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yuanqu.core.context_processors.navigation",
            ],
            # The `can` filter (abilities by name) in every template, without a `{% load %}` in each.
            "builtins": ["yuanqu.core.templatetags.abilities"],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'yuanqu.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a report is being written; IMMEDIATE avoids
    # "database is locked" upgrades inside transactions. A writer waits up to
    # YUANQU_SQLITE_BUSY_SECONDS for another (a long import) before its request is answered 503
    # (core.middleware.DatabaseBusyMiddleware): less than gunicorn's worker timeout (30 s).
    _busy = env_int("YUANQU_SQLITE_BUSY_SECONDS", 25)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_busy * 1000};",
        "timeout": _busy,
        "transaction_mode": "IMMEDIATE",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _private_sqlite(str(DATABASES["default"]["NAME"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- login throttling (django-axes)
# The N-th wrong password in a row for an account locks it for a while (page, admin and the API's
# Basic auth alike); a success resets the count. Every failure and lock-out is a row in the admin
# site (访问尝试) and a WARNING in the log; an administrator releases an account by deleting its
# row there or with `yuanqu axes_reset_username <name>` (docs/operations.md).
AUTHENTICATION_BACKENDS = [
    "yuanqu.core.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("YUANQU_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("YUANQU_LOGIN_LOCKOUT_MINUTES", 30))
# Per account, counting the failures from every address and browser together (so rotating them
# gains nothing; axes.W006 is silenced below for that reason). Not per address: behind the proxy
# or a building's NAT every client shares one, and ten typos would lock out everyone at once.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yuanqu.core.security.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Front-end packages come from npm (package.json) and are served by us, never from a CDN.
_node = PROJECT_DIR / "node_modules"
_vendor = {
    "vendor/bootstrap": _node / "bootstrap" / "dist",
    "vendor/bootstrap-icons": _node / "bootstrap-icons" / "font",
    "vendor/htmx": _node / "htmx.org" / "dist",
    "vendor/echarts": _node / "echarts" / "dist",
    # China's provinces and each province's cities as GeoJSON (AntV's china-geojson): the 招商地图.
    "vendor/china-geojson": _node / "china-geojson" / "src" / "geojson",
}
STATICFILES_DIRS = [PACKAGE_DIR / "static", *((prefix, path) for prefix, path in _vendor.items() if path.exists())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if env_bool("YUANQU_COMPRESS_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# ---------------------------------------------------------------- request limits
# Refused by Content-Length before the body is read (core.security.RequestSizeLimitMiddleware):
# an upload (multipart) over YUANQU_MAX_REQUEST_MB — the default fits ten 20 MB attachments, the
# most a report takes (core.attachments); any other body (a form, JSON) over YUANQU_MAX_FORM_MB —
# a 300,000-character plan pasted into a form is under 3 MB once URL-encoded; and anything over
# YUANQU_MAX_ANONYMOUS_MB from someone not signed in (enough for a form kept across an expired
# session, core.kept_forms). The reverse proxy's own limit (nginx client_max_body_size) should match.
YUANQU_MAX_REQUEST_BYTES = env_int("YUANQU_MAX_REQUEST_MB", 210) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("YUANQU_MAX_FORM_MB", 10) * 1024 * 1024
YUANQU_MAX_ANONYMOUS_BYTES = env_int("YUANQU_MAX_ANONYMOUS_MB", 4) * 1024 * 1024
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Basic auth under the login throttling, refusing a locked account in the API's error shape.
        "yuanqu.core.security.BasicAuthentication",
    ],
    # Contract: the query string checked against the schema, and Idempotency-Key (core.contract).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "yuanqu.core.contract.Contract"],
    # A JSON body must be an object (core.contract).
    "DEFAULT_PARSER_CLASSES": [
        "yuanqu.core.contract.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Every operation declares the chassis' refusals and the Idempotency-Key header (core.api).
    "DEFAULT_SCHEMA_CLASS": "yuanqu.core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "yuanqu.core.pagination.KeyedPagination",  # sorts on the keys alone
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "yuanqu.core.api.exception_handler",
    # JSON only: DRF's browsable pages carry inline script the CSP refuses; the OpenAPI schema at
    # /api/schema/ documents the API instead.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "yuanqu API",
    "DESCRIPTION": "园区年度工作计划目标管理平台接口",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; name each choice set so the schema has no collisions.
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "yuanqu.plans.models.Plan.Status",
        "LedgerItemStatusEnum": "yuanqu.plans.models.LedgerItem.Status",
        "TargetStatusEnum": "yuanqu.plans.filters.STATUS_CHOICES",
        "OrgUnitKindEnum": "yuanqu.org.models.OrgUnit.Kind",
        "TargetKindEnum": "yuanqu.plans.models.Target.Kind",
        "AdjustmentKindEnum": "yuanqu.plans.models.TargetAdjustment.Kind",
        "AdjustmentStatusEnum": "yuanqu.plans.models.TargetAdjustment.Status",
        "AdjustmentBasisEnum": "yuanqu.plans.models.TargetAdjustment.Basis",
        "ParcelStatusEnum": "yuanqu.land.models.ParcelStatus",
        "RevitalisationStatusEnum": "yuanqu.land.models.Revitalisation.Status",
        "CompanyKindEnum": "yuanqu.investment.models.TargetCompany.Kind",
        "FollowUpKindEnum": "yuanqu.investment.models.FollowUp.Kind",
        "LeadStageEnum": "yuanqu.investment.models.Stage",
        "ProjectStageEnum": "yuanqu.projects.models.Stage",
        "ProjectGateEnum": "yuanqu.projects.models.GATE_CHOICES",
        "ProjectLevelEnum": "yuanqu.projects.models.Level",
        "IndicatorLevelEnum": "yuanqu.indicators.models.Level",
        "ProblemStatusEnum": "yuanqu.projects.models.Problem.Status",
        "InspectionOutcomeEnum": "yuanqu.approvals.models.Inspection.Outcome",
        "CaseKindEnum": "yuanqu.approvals.models.CaseKind",
        "RequestStateEnum": "yuanqu.visits.models.State",
        "SupervisionStateEnum": "yuanqu.supervision.models.State",
        "DisputeStateEnum": "yuanqu.disputes.models.State",
        "DisputeKindEnum": "yuanqu.disputes.models.Kind",
        "DisputeTypeEnum": "yuanqu.disputes.models.DisputeType",
        "DisputeDayTypeEnum": "yuanqu.disputes.models.DayType",
        "HazardStateEnum": "yuanqu.inspections.models.State",
        "HazardLevelEnum": "yuanqu.inspections.models.Level",
        "InspectionDomainEnum": "yuanqu.inspections.models.Domain",
        "RevisitResultEnum": "yuanqu.inspections.models.Revisit.Result",
        "GridEventStateEnum": "yuanqu.grid.models.State",
        "GridEventSeverityEnum": "yuanqu.grid.models.Severity",
        "GridEventSourceEnum": "yuanqu.grid.models.Source",
        "GridKindEnum": "yuanqu.grid.models.GridKind",
        "GridObjectKindEnum": "yuanqu.grid.models.GridObject.Kind",
        "GridPhotoStageEnum": "yuanqu.grid.models.EventPhoto.Stage",
        "CleanupStateEnum": "yuanqu.cleanup.models.State",
        "CleanupCategoryEnum": "yuanqu.cleanup.models.Category",
        "CleanupMethodEnum": "yuanqu.cleanup.models.Method",
        "CleanupComparatorEnum": "yuanqu.cleanup.models.Criterion.Comparator",
        "CleanupCriterionKindEnum": "yuanqu.cleanup.models.Criterion.Kind",
        # Named since the clean-up register brought a second "method" and "comparator" choice set.
        "RevitalisationMethodEnum": "yuanqu.land.models.RevitalisationMethod",
        "TargetComparatorEnum": "yuanqu.plans.models.Target.Comparator",
        "PartyAssessmentStateEnum": "yuanqu.party.models.State",
        "PartyResultEnum": "yuanqu.party.models.Result",
        "PartyMemberStatusEnum": "yuanqu.party.models.MemberStatus",
        "SocialOrganisationKindEnum": "yuanqu.party.models.SocialOrganisation.Kind",
    },
}

# E-mail for reminders only when configured; otherwise notifications stay in-app.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yuanqu@localhost")

# Background jobs (long imports, large bulletins) wait in a database table; `yuanqu db_worker` runs them.
# YUANQU_TASKS_IMMEDIATE=1 runs them inside the request instead (no worker needed).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    if env_bool("YUANQU_TASKS_IMMEDIATE", False)
    else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# Imports of at most this many rows are applied inside the request, larger ones by the worker.
# Targets bound to a register's live figure are re-read for the lists at most this often (seconds).
YUANQU_BOUND_REFRESH_SECONDS = int(os.environ.get("YUANQU_BOUND_REFRESH_SECONDS", "60"))
# The cockpit's figures are kept this long per reader (seconds), its register tiles (core.panels,
# cached=True) this long: docs/operations.md.
YUANQU_COCKPIT_CACHE_SECONDS = int(os.environ.get("YUANQU_COCKPIT_CACHE_SECONDS", "60"))
YUANQU_PANEL_CACHE_SECONDS = int(os.environ.get("YUANQU_PANEL_CACHE_SECONDS", "300"))
YUANQU_IMPORT_INLINE_ROWS = int(os.environ.get("YUANQU_IMPORT_INLINE_ROWS", "200"))
# A plan with at least this many targets (those the 督查室 sees) has its bulletin made by the worker.
YUANQU_BULLETIN_BACKGROUND_TARGETS = int(os.environ.get("YUANQU_BULLETIN_BACKGROUND_TARGETS", "1000"))
# How many made-up enterprises `yuanqu demo` builds (each with three years of figures).
YUANQU_DEMO_ENTERPRISES = int(os.environ.get("YUANQU_DEMO_ENTERPRISES", "2000"))
# How many made-up grid events, inspections and mediation/petition cases `yuanqu demo` builds (a year's).
YUANQU_DEMO_GRID_EVENTS = int(os.environ.get("YUANQU_DEMO_GRID_EVENTS", "3000"))
YUANQU_DEMO_INSPECTIONS = int(os.environ.get("YUANQU_DEMO_INSPECTIONS", "300"))
YUANQU_DEMO_DISPUTES = int(os.environ.get("YUANQU_DEMO_DISPUTES", "300"))
# A unit is ranked on 走帮服 requests only with at least this many answered (docs/visits.md).
YUANQU_VISITS_MIN_SAMPLE = int(os.environ.get("YUANQU_VISITS_MIN_SAMPLE", "5"))
# A grid worker or unit is ranked on grid events only with at least this many (docs/grid.md).
YUANQU_GRID_MIN_SAMPLE = int(os.environ.get("YUANQU_GRID_MIN_SAMPLE", "10"))
# A handling unit or mediation committee is ranked on mediation and petition cases only with at
# least this many handled (docs/disputes.md).
YUANQU_DISPUTES_MIN_SAMPLE = int(os.environ.get("YUANQU_DISPUTES_MIN_SAMPLE", "5"))
# The largest photo a grid worker may send with an event, in MB (a phone's photo is 2–6 MB).
YUANQU_GRID_PHOTO_MAX_MB = int(os.environ.get("YUANQU_GRID_PHOTO_MAX_MB", "10"))

# REDIS_URL: one cache shared by every gunicorn worker and machine (docs/operations.md, “When to
# move off the embedded default”). Without it each process keeps its own in memory.
_redis = os.environ.get("REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
    if _redis
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# With Redis, sessions are read from it and written through to the database (cached_db): a request
# costs no session query, and a Redis restart signs nobody out. Without it, the database alone.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if _redis else "django.contrib.sessions.backends.db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is logged once, as one line, without the PermissionDenied traceback.
    "filters": {"one_line_refusal": {"()": "yuanqu.core.logs.OneLineRefusal"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["one_line_refusal"]},
        "django.security.csrf": {"filters": ["one_line_refusal"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

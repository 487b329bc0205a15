"""innocase settings, read from the environment with development defaults.

Production (DEBUG off) refuses to start while a secret still has its default.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from apps.audit import DEV_AUDIT_KEY

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("INNOCASE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
# Production is the default: development, the demo and the tests say DEBUG=true out loud (the Makefile does).
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# Voters' phone numbers are kept only as HMAC-SHA256 under this pepper (PIPL; DOMAIN.md). Changing it makes
# every voter new: set it once per deployment and keep it apart from the database backups.
DEV_VOTE_PHONE_PEPPER = "dev-only-vote-phone-pepper-change-me"
VOTE_PHONE_PEPPER = os.environ.get("VOTE_PHONE_PEPPER", DEV_VOTE_PHONE_PEPPER)
# The audit chain's HMAC key (apps.audit): kept outside the database and its backups, so that whoever can
# only write to the database cannot rewrite the chain unnoticed. Set once per deployment; never rotated.
AUDIT_KEY = os.environ.get("AUDIT_KEY", DEV_AUDIT_KEY)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECRET_MIN_LENGTH = 50

if not DEBUG:
    for name, default in (("SECRET_KEY", DEV_SECRET_KEY), ("VOTE_PHONE_PEPPER", DEV_VOTE_PHONE_PEPPER),
                          ("AUDIT_KEY", DEV_AUDIT_KEY)):
        value = globals()[name]
        if value == default or len(value) < SECRET_MIN_LENGTH or len(set(value)) < 5:
            raise ImproperlyConfigured(
                f"{name} must be set to a random value of at least {SECRET_MIN_LENGTH} characters when DEBUG is off.")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    # HTTPS only: behind the TLS-terminating proxy, which says so in X-Forwarded-Proto (and overwrites what a
    # client sent in it). Each can be turned off for a deployment that terminates TLS differently.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    _proxy_ssl = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl.upper().replace("-", "_"), "https") if _proxy_ssl else None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "apps.core",
    "apps.audit",
    "apps.orgs",
    "apps.approvals",
    "apps.campaigns",
    "apps.notices",
    "apps.enterprises",
    "apps.cases",
    "apps.rounds",
    "apps.review",
    "apps.voting",
    "apps.selection",
    "apps.events",
    "apps.publicity",
    "apps.exhibits",
    "apps.brand",
    "apps.publication",
    "apps.book",
    "apps.finance",
    "apps.reports",
    "apps.api",
]

# The demo campaign (manage.py seed_demo), app by app from the bottom layer up: each seeder adds what its app
# owns to what the ones before it made. Listed here, with the apps, so that no app names the apps above it.
DEMO_SEEDERS = [
    "apps.orgs.demo.seed_tree",
    "apps.campaigns.demo.seed_campaign",
    "apps.enterprises.demo.seed_enterprises",
    "apps.notices.demo.seed_notices",
    "apps.cases.demo_cases.seed_cases",
    "apps.rounds.demo.seed_screening",
    "apps.review.demo.seed_review",
    "apps.voting.demo.seed_voting",
    "apps.selection.demo.seed_selection",
    "apps.events.demo.seed_events",
    "apps.publicity.demo.seed_media_reports",
    "apps.publicity.demo.seed_publicity_plans",
    "apps.publicity.demo.seed_topic_videos",
    "apps.publicity.demo.seed_stories",
    "apps.publicity.demo.seed_case_collections",
    "apps.exhibits.demo.seed_exhibits",
    "apps.brand.demo.seed_brand",
    "apps.publication.demo.seed_publications",
    "apps.book.demo.seed_book",
    "apps.finance.demo.seed_ledgers",
    "apps.reports.demo.seed_monthly_reports",
    "apps.reports.demo.seed_final_reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.orgs.middleware.SessionKeepAliveMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "apps.orgs.middleware.ScopeMiddleware",
]

ROOT_URLCONF = "innocase.urls"
WSGI_APPLICATION = "innocase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.orgs.context_processors.acting",
                "apps.campaigns.context_processors.current_campaign",
                "apps.review.context_processors.expert",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'innocase.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

# Background work (ARCHITECTURE.md): the tasks API of Django 6 (the django-tasks backport) on the database backend,
# run by `manage.py db_worker` (make demo starts one beside the web server). TASKS_BACKEND=immediate runs each task
# inside the request that enqueues it (no worker needed; for a one-process trial only).
TASKS = {"default": {
    "BACKEND": ("django_tasks.backends.immediate.ImmediateBackend" if os.environ.get("TASKS_BACKEND") == "immediate"
                else "django_tasks_db.DatabaseBackend"),
    "QUEUES": ["default"],
}}

# The site's public address, for links in e-mails sent by background tasks (a request knows its own).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public voting (issue 6). SMS one-time codes go through apps.core.sms: "console" prints them (development),
# "memory" keeps them for tests, "http" posts them to a provider (docs/voting.md).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", "5"))
SMS_SIGN = os.environ.get("SMS_SIGN", "【创新案例】")
if not DEBUG and SMS_BACKEND != "http":
    raise ImproperlyConfigured('SMS_BACKEND must be "http" when DEBUG is off: "console" and "memory" send nothing.')
# A verified voter stays verified on that browser this many hours (a signed cookie, no session row).
VOTER_COOKIE_HOURS = int(os.environ.get("VOTER_COOKIE_HOURS", str(7 * 24)))
# Behind proxies, the header that carries the client's address ("X-Forwarded-For", or one the proxy overwrites
# such as "X-Real-IP"; empty: REMOTE_ADDR) and how many trusted proxies append to it (apps.core.clientip).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
CLIENT_IP_PROXIES = int(os.environ.get("CLIENT_IP_PROXIES", "1"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "apps.orgs.backends.PhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: 5 failures lock the username for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
# Lock by account, not by address: county offices share one NAT address, and locking it
# would lock out every clerk behind it.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "orgs/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "apps.core.clientip.client_address"

# Idle timeout: 30 minutes without a request ends the session.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False  # apps.orgs.middleware.SessionKeepAliveMiddleware pushes the end back
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files: the local disk by default; any S3-compatible store when a bucket is configured.
AWS_STORAGE_BUCKET_NAME = os.environ.get("S3_BUCKET", "")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("S3_SECRET_KEY", ""),
            "region_name": os.environ.get("S3_REGION", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # request bodies other than files
NOTICE_ATTACHMENT_MAX_BYTES = int(os.environ.get("NOTICE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
# Case attachments: uploads above FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file,
# so a video is never held whole in memory.
CASE_VIDEO_MAX_BYTES = int(os.environ.get("CASE_VIDEO_MAX_BYTES", 500 * 1024 * 1024))
CASE_FILE_MAX_BYTES = int(os.environ.get("CASE_FILE_MAX_BYTES", 30 * 1024 * 1024))
CASE_IMAGE_MAX_PIXELS = int(os.environ.get("CASE_IMAGE_MAX_PIXELS", 40_000_000))
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "innocase@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.api.exceptions.exception_handler",
}
# API tokens (django-rest-knox, apps.orgs.tokens): sent as "Authorization: Token <token>", stored only as a
# SHA-512 digest, valid API_TOKEN_DAYS, at most 10 at a time per person; a password change or reset and the end
# of a person's last role end them all.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "innocase API",
    "DESCRIPTION": "企业典型创新案例征集及宣讲活动平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models have a `state` field with different choices: name the review one's enum.
    "ENUM_NAME_OVERRIDES": {"AssignmentStateEnum": "apps.review.models.Assignment.State",
                            "IndicatorStatusEnum": "apps.campaigns.indicators.Status",
                            "CaseStatusEnum": "apps.cases.models.Case.Status",
                            "CaseChannelEnum": "apps.cases.models.Case.Channel",
                            "BrandChannelEnum": "apps.brand.models.Channel",
                            "MediaReportLevelEnum": "apps.publicity.models.MediaReport.Level",
                            "MediaContactLevelEnum": "apps.brand.models.MediaContact.Level",
                            "MediaReportKindEnum": "apps.publicity.models.MediaReport.Kind",
                            "DeliverableKindEnum": "apps.brand.models.Deliverable.Kind",
                            "FinanceLineEnum": "apps.finance.lines.LINES",
                            "ReportStateEnum": "apps.reports.models.MonthlyReport.State",
                            "FinalReportKindEnum": "apps.reports.models.FinalReport.Kind"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

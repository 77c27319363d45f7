"""fazhi settings — one file, driven by environment variables.

Local defaults need no configuration (SQLite under var/). Production differs
only through the environment; see .env.example and docs/deploy.md.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from fazhi.envconf import env_bool, env_group, env_int, env_list, env_rate, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Development is said, never assumed: FAZHI_ENV=development (set by `make run`,
# `make test` and pytest's fazhi.testenv plugin) or DEBUG=true. Anything else
# is production, where a missing SECRET_KEY stops start-up.
FAZHI_ENV = (env_str("FAZHI_ENV", "") or "production").strip().lower()
if FAZHI_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"环境变量 FAZHI_ENV 应为 development 或 production，实际为“{FAZHI_ENV}”")
DEVELOPMENT = FAZHI_ENV == "development" or DEBUG
_INSECURE_SECRET = "fazhi-local-insecure-key-change-me-0123456789abcdef"
_secret = env_str("SECRET_KEY")
if not _secret or _secret == _INSECURE_SECRET:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "生产环境必须设置环境变量 SECRET_KEY（或 SECRET_KEY_FILE），且不能使用内置的开发用值；"
            "本地开发或测试请设置 FAZHI_ENV=development（make run / make test 已自动设置）")
    _secret = _INSECURE_SECRET  # development only
SECRET_KEY = _secret
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "axes",
    # fazhi — foundation first; domain apps depend only on these.
    "fazhi.core",
    "fazhi.org",
    "fazhi.accounts",
    "fazhi.audit",
    "fazhi.workdays",
    # shared by domain modules (public consultation), below the kernel
    "fazhi.consultations",
    # domain modules
    "fazhi.normative_docs",
    "fazhi.major_decisions",
    "fazhi.training",
    "fazhi.enforcement",
    "fazhi.inspections",
    "fazhi.ledger",
    "fazhi.assessment",
    "fazhi.annual_report",
    "fazhi.shell",
    "fazhi.portal",
    "fazhi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: everything from this site only (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Under /api/ every error is JSON, also Django's own 404/405/400/500 (fazhi/api/middleware.py).
    "fazhi.api.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs sign-in unless its view is marked login_not_required
    # (the portal, /healthz, the sign-in page itself, the API which has its own auth).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Holds an administrator-set password to the change-password page until changed.
    "fazhi.accounts.middleware.AccountMiddleware",
    # A domain error escaping a page view becomes the Chinese 403/404/409 page.
    "fazhi.shell.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Input XML cannot carry (control characters) is refused before any view runs.
    "fazhi.core.middleware.RefuseControlCharacters",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

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
                "fazhi.shell.context.shell",
                "fazhi.portal.context.portal",
            ],
        },
    },
]
# Messages keep a refusal's citation with its rule ID as a tooltip (fazhi.core.citations).
MESSAGE_STORAGE = "fazhi.core.messages.CitingStorage"

DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", "sqlite:///var/fazhi.sqlite3"), BASE_DIR),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保2.0 8.1.4.1: three of upper/lower-case letters, digits, symbols.
    {"NAME": "fazhi.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "shell:login"
LOGIN_REDIRECT_URL = "shell:home"
LOGOUT_REDIRECT_URL = "shell:login"

# Sessions end after SESSION_IDLE_MINUTES of inactivity (formerly SESSION_HOURS,
# still read when the minutes are not set) and when the browser closes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", env_int("SESSION_HOURS", 8) * 60)
if SESSION_IDLE_MINUTES <= 0:
    raise ImproperlyConfigured("环境变量 SESSION_IDLE_MINUTES 应为正整数（分钟）")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "fazhi.shell.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only (docs/deploy.md turns both on): redirect http to https, except
# /healthz for the load balancer's plain-HTTP check; HSTS for HSTS_SECONDS.
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
# No inline script, style or handler anywhere (static files only), no outside
# host: the pages, htmx and the ECharts cockpit run under this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for ECharts' "save as image" and CSS-drawn icons
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-axes: lock an account+IP after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "shell/locked_out.html"
AXES_VERBOSE = False

# API tokens (fazhi.accounts): stored hashed, valid for API_TOKEN_DAYS days.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
if API_TOKEN_DAYS <= 0:
    raise ImproperlyConfigured("环境变量 API_TOKEN_DAYS 应为正整数（天）")
# The one-time link with which a person sets a password an administrator reset.
PASSWORD_RESET_TIMEOUT = env_int("SET_PASSWORD_LINK_HOURS", 72) * 3600
# Anonymous posts (public comments, proposals, token sign-in) per address.
FAZHI_ANON_POSTS_PER_HOUR = env_int("ANON_POSTS_PER_HOUR", 20)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# ISO dates first among the input formats: what a date widget renders and parses
# (fazhi/formats/zh_Hans/formats.py, issue 13 §2 "Dates").
FORMAT_MODULE_PATH = ["fazhi.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", "") or str(BASE_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 50)
# A .docx/.xlsx is refused before parsing when it would inflate past these
# (decompression bombs; fazhi.core.uploads.check_archive).
UPLOAD_UNZIPPED_MAX_MB = env_int("UPLOAD_UNZIPPED_MAX_MB", 50)
UPLOAD_SHEET_UNZIPPED_MAX_MB = env_int("UPLOAD_SHEET_UNZIPPED_MAX_MB", 4096)
UPLOAD_ZIP_MAX_MEMBERS = env_int("UPLOAD_ZIP_MAX_MEMBERS", 2000)
UPLOAD_ZIP_MAX_RATIO = env_int("UPLOAD_ZIP_MAX_RATIO", 100)
WHITENOISE_USE_FINDERS = True  # serve straight from the app dirs in the embedded mode

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env_str("S3_BUCKET"):
    # S3-compatible object storage in production (needs django-storages[s3]); see docs/deploy.md.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "access_key": env_str("S3_ACCESS_KEY"),
            "secret_key": env_str("S3_SECRET_KEY"),
            "region_name": env_str("S3_REGION", "") or None,
            "file_overwrite": False,
        },
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "fazhi.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "fazhi.core.rest.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "fazhi.core.rest.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttling (fazhi/api/throttling.py): per client address when anonymous,
    # per user when signed in; token sign-in stricter. 429 in the one error shape.
    "DEFAULT_THROTTLE_CLASSES": ["fazhi.api.throttling.AnonThrottle", "fazhi.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_RATE_ANON", "120/min"),
        "user": env_rate("API_RATE_USER", "1200/min"),
        "token": env_rate("API_RATE_TOKEN", "10/min"),
    },
    # Client address = REMOTE_ADDR, unless NUM_PROXIES trusted proxies add X-Forwarded-For.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fazhi 法治政府建设平台 API",
    "DESCRIPTION": "REST API v1。错误统一为 {\"error\": {\"code\", \"message\", \"rule\", \"fields\"}}。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PATH_CONVERTER_OVERRIDES": {  # = fazhi.core.rest.params.PATH_SCHEMAS
        "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
        "key": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,100}$"},
    },
}

# Periodic jobs (reminders, automatic expiry) run inside `runserver_with_jobs`
# in the embedded mode, or in `manage.py run_worker` in production.
JOBS_INTERVAL_SECONDS = env_int("JOBS_INTERVAL_SECONDS", 300)

# Rules that vary by place (DESIGN invariant 7). Module settings live in
# fazhi/<app>/rules.py with national defaults; these are global knobs.
FAZHI_DISTRICT_NAME = env_str("FAZHI_DISTRICT_NAME", "示范区")
# A date a person enters (a meeting held, a letter received) more than this
# many days before today needs a reason and is flagged in the trail (SYS-03).
FAZHI_BACKDATE_DAYS = env_int("FAZHI_BACKDATE_DAYS", 15)
# Each module's place-dependent rules (periods, thresholds, targets), declared
# once with default, unit and legal source in fazhi/<app>/rules.py and listed
# by `manage.py local_rules` and docs/deploy.md. Set one from the environment
# as <GROUP>__<KEY>, e.g. FAZHI_NORMDOCS__FILING_DAYS=30; a key that does not
# exist or a value of the wrong type stops start-up (system check fazhi.E101).
FAZHI_NORMDOCS = env_group("FAZHI_NORMDOCS")
FAZHI_DECISIONS = env_group("FAZHI_DECISIONS")
FAZHI_ENFORCEMENT = env_group("FAZHI_ENFORCEMENT")
FAZHI_INSPECTIONS = env_group("FAZHI_INSPECTIONS")
FAZHI_TRAINING = env_group("FAZHI_TRAINING")
FAZHI_ASSESSMENT = env_group("FAZHI_ASSESSMENT")
FAZHI_ANNUAL_REPORT = env_group("FAZHI_ANNUAL_REPORT")
# Rules a system administrator set on the page 地方规则 are read from the cache;
# a change deletes them there. Without REDIS_URL each process has its own cache,
# and other processes see a change within this many seconds.
FAZHI_LOCAL_RULES_CACHE_SECONDS = env_int("FAZHI_LOCAL_RULES_CACHE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

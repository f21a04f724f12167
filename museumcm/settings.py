"""museumcm settings, read from the environment with embedded defaults (see the README's configuration table)."""

import re
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from museumcm.beat import beat_schedule
from museumcm.env import env_bool, env_float, env_hours, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "data")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value; "
            "only DEBUG=true runs without one."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
WEB_PORT = env_int("WEB_PORT", 8000)  # `make run`'s web server; links point to it unless SITE_URL says otherwise
SITE_URL = (env_str("SITE_URL") or f"http://127.0.0.1:{WEB_PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "museumcm",  # for its seed_demo command
    "accounts",
    "publishing",
    "editorial",
    "inbox",
    "insights",
    "ask",  # stands on top: reads the others, nothing imports it
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the sitemap of "Ask the museum"
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ask.middleware.AskHostMiddleware",  # the public Q&A site on its own host name (ASK_HOST), if set
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page needs a signed-in user unless marked
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "museumcm.urls"
WSGI_APPLICATION = "museumcm.wsgi.application"

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
                "museumcm.context_processors.shell",
                "publishing.context_processors.publishing",
            ],
        },
    },
]

# Database: PostgreSQL in production, an SQLite file by default. On SQLite, web, worker and beat share one file:
# WAL lets readers go on while one writes, and IMMEDIATE transactions make writers wait instead of failing.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'museumcm.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: a request's statements take milliseconds, and where the planner overprices one (a lagging
    # visibility map) compiling it took 25 ms for a statement of 10 (the Insights cadence).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password-reset link is valid for hours; an invitation link (its own token, accounts/tokens.py) for days.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2) * 3600
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# A session unused this long is signed out (accounts.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_HOURS = env_int("SESSION_IDLE_HOURS", 8)

# Login throttling: lock a username + client address pair after repeated failures, and a client address after more
# failures across user names. Behind a reverse proxy the client address comes from X-Forwarded-For, trusting the
# last PROXY_COUNT entries (one per proxy of ours, each appending what it saw): see accounts/lockout.py.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env_int("PROXY_COUNT", 1 if BEHIND_PROXY else 0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["museumcm.formats"]  # English dates in day-month order, 24-hour clock
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
# The institution's name, on the manager's report and its e-mail (`make run`'s demo is Musée Marceau).
MUSEUM_NAME = env_str("MUSEUM_NAME", "") or _("The museum")
# The institution's working hours (whole hours, local time): where the calendar's week view opens.
WORKING_DAY_STARTS, WORKING_DAY_ENDS = env_hours("WORKING_DAY_STARTS", "WORKING_DAY_ENDS", default=(8, 19))
USE_I18N = USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or DATA_DIR / "media")
STATIC_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # under DEBUG, plain names (the finders')
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else STATIC_BACKEND},
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads (media library and ideas): images and videos larger than this are refused with a clear message; an image
# of more pixels than IMAGE_MAX_PIXELS is refused before it is decoded (a small PNG can inflate to gigabytes).
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_MB", 8) * 1024 * 1024
VIDEO_MAX_BYTES = env_int("VIDEO_MAX_MB", 100) * 1024 * 1024
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
# No uploaded file is read past this many bytes (editorial.uploads.LimitedUploadHandler stops the request there).
UPLOAD_MAX_BYTES = max(IMAGE_MAX_BYTES, VIDEO_MAX_BYTES)
FILE_UPLOAD_HANDLERS = [
    "editorial.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Everything of a request body that is not a file (form fields, JSON) fits in 1 MB; more is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Outbound HTTP (publishing/outbound.py): https only unless OUTBOUND_ALLOW_HTTP; internal addresses refused unless the
# host (or host:port) is listed in OUTBOUND_ALLOWED_HOSTS (local test servers; never a production need).
OUTBOUND_ALLOW_HTTP = env_bool("OUTBOUND_ALLOW_HTTP", default=DEBUG)
OUTBOUND_ALLOWED_HOSTS = [host.lower() for host in env_list("OUTBOUND_ALLOWED_HOSTS")]

# Calls to social networks: connect and read timeouts in seconds; Meta's container status polling interval.
ADAPTER_TIMEOUT = (5, 30)
META_CONTAINER_POLL_INTERVAL = 2.0

# The console backend writes password-reset and invitation links into the log: in production only if asked for.
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (CONSOLE_EMAIL if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND == CONSOLE_EMAIL and not DEBUG and not env_bool("EMAIL_CONSOLE_IN_PRODUCTION"):
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is the console backend while DEBUG is off: password-reset and invitation links would be "
        "written to the log. Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST, or "
        "EMAIL_CONSOLE_IN_PRODUCTION=true if that log is private."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "museumcm <noreply@localhost>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)

# Credentials of social accounts are encrypted with these Fernet keys; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY")
_KEY_HINT = (
    "Generate one with `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
)
if not FIELD_ENCRYPTION_KEYS and not DEBUG:
    raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY is not set. {_KEY_HINT}")
for _number, _key in enumerate(FIELD_ENCRYPTION_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:  # said without the value: it is a secret, or meant to be one
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEY: key {_number} is not a Fernet key (44 characters of URL-safe base64). {_KEY_HINT}"
        ) from None

# Celery: Redis in production; Celery's filesystem transport under DATA_DIR by default (one machine, no server).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _queue = DATA_DIR / "broker" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(DATA_DIR / "broker" / "processed"),
        "control_folder": str(DATA_DIR / "broker" / "control"),
        "store_processed": False,
    }
else:
    # Only short tasks travel through Redis (no ETA): a short visibility timeout re-delivers a dead worker's job soon.
    # "priority": a worker asks Redis for its queues in the order of CELERY_TASK_QUEUES (live taps first), instead of
    # taking turns between them.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300),
        "queue_order_strategy": "priority",
    }
# The live desk's taps travel on their own queue, consumed before the default one: a live post jumps the backlog of
# scheduled publications (publishing/live.py). Every worker consumes both.
CELERY_TASK_QUEUES = (Queue("live", routing_key="live"), Queue("celery", routing_key="celery"))
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the task thread's database connection before and after every task unless this is set:
# a new PostgreSQL connection (a backend process, authentication, session setup) per publication. With it, connections
# are kept across tasks; museumcm/celery.py drops unusable or obsolete ones (CONN_MAX_AGE) around each task, as Django
# does around each request, and the fixup still closes one every DB_REUSE_MAX tasks.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = beat_schedule()  # museumcm/beat.py: what beat runs, and how often

# Insights' collection runs on its own queue (a worker started with `-Q insights`), so publishing's workers never run
# it; per account it may make INSIGHTS_CALLS_PER_HOUR metrics calls (the rest of the network's quota is publishing's)
# and waits while the account has publications going out within INSIGHTS_PUBLISHING_MARGIN_SECONDS.
CELERY_TASK_ROUTES = {"insights.tasks.*": {"queue": "insights"}}
INSIGHTS_CALLS_PER_HOUR = env_int("INSIGHTS_CALLS_PER_HOUR", 60)
INSIGHTS_PUBLISHING_MARGIN_SECONDS = env_int("INSIGHTS_PUBLISHING_MARGIN_SECONDS", 300)
INSIGHTS_LEASE_SECONDS = env_int("INSIGHTS_LEASE_SECONDS", 300)
INSIGHTS_MAX_ATTEMPTS = env_int("INSIGHTS_MAX_ATTEMPTS", 8)

# The manager's monthly report's task lives in insights/mailing.py, not in a tasks module Celery discovers.
CELERY_IMPORTS = ["insights.mailing"]

# The pipeline of publications and of the inbox's replies (publishing/pipeline.py): a worker owns a sending row for a
# lease; a row whose message was lost is enqueued again after PUBLISHING_REDISPATCH_SECONDS; transient failures retry
# with exponential backoff from 1 s (a 503 blip costs a second, not a minute), doubling each time: 12 attempts span
# about half an hour of outage.
PUBLISHING_LEASE_SECONDS = env_int("PUBLISHING_LEASE_SECONDS", 120)
PUBLISHING_REDISPATCH_SECONDS = env_int("PUBLISHING_REDISPATCH_SECONDS", 30)
PUBLISHING_MAX_ATTEMPTS = env_int("PUBLISHING_MAX_ATTEMPTS", 12)
PUBLISHING_RETRY_BASE_SECONDS = env_int("PUBLISHING_RETRY_BASE_SECONDS", 1)
# A live thread's next post polls this often for the previous one to be out (publishing/live.py).
LIVE_PARENT_POLL_SECONDS = env_float("LIVE_PARENT_POLL_SECONDS", 0.2)

# OAuth client of each network's developer app (the accounts page's connect buttons). Mastodon needs none: the app
# registers itself on each instance.
SOCIAL_APPS = {
    network: {
        "client_id": env_str(f"{network.upper()}_CLIENT_ID") or "",
        "client_secret": env_str(f"{network.upper()}_CLIENT_SECRET") or "",
    }
    for network in ("facebook", "instagram", "threads", "x", "linkedin", "pinterest", "tumblr")
}
# Pinterest's Trial apps may create Pins only in its sandbox API (https://api-sandbox.pinterest.com).
SOCIAL_APPS["pinterest"]["api_url"] = env_str("PINTEREST_API_URL") or ""

# "Ask the museum" (issue 16): the public question-and-answer site, under /ask/ or on its own host name.
ASK_HOST = (env_str("ASK_HOST") or "").lower()  # e.g. "questions.museum.org" (also list it in ALLOWED_HOSTS)
if ASK_HOST and ASK_HOST not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, ASK_HOST]
ASK_SITE_NAME = env_str("ASK_SITE_NAME", "Musée Marceau")
ASK_LOGO_URL = env_str("ASK_LOGO_URL", "")  # empty: the app's own mark
ASK_COLOUR = env_str("ASK_COLOUR", "#7a3e9d")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", ASK_COLOUR):
    raise ImproperlyConfigured("ASK_COLOUR must be a colour such as #7a3e9d.")
ASK_MIN_FILL_SECONDS = env_float("ASK_MIN_FILL_SECONDS", 3.0)  # a person takes longer than this to write a question
ASK_RATE_LIMIT = env_int("ASK_RATE_LIMIT", 5)  # questions per address and hour
ASK_EMAIL_DAYS = env_int("ASK_EMAIL_DAYS", 90)  # an address is erased after this many days, answered or not
ASK_DAILY_HOUR = env_int("ASK_DAILY_HOUR", 10)  # the question of the day goes out at this hour (TIME_ZONE)
ASK_DAILY_EVERY_DAYS = env_int("ASK_DAILY_EVERY_DAYS", 1)  # the queue's rhythm: one answer every N days
ASK_CACHE_SECONDS = env_int("ASK_CACHE_SECONDS", 300)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Security. HTTPS defaults to on in production; `make run` (DEBUG) serves plain HTTP on localhost.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP from inside
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# htmx runs without eval and without its injected indicator styles, so no 'unsafe-inline' or 'unsafe-eval' is needed.
# Images come from the app itself and from the networks' media hosts (account pictures), never from any https: host.
CSP_IMAGE_HOSTS = env_list(
    "CSP_IMAGE_HOSTS",
    "https://*.fbcdn.net,https://*.cdninstagram.com,https://pbs.twimg.com,https://media.licdn.com,https://cdn.bsky.app",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *CSP_IMAGE_HOSTS],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

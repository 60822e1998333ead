"""Kiezwerk settings: one module, every value from the environment.

Each variable is read once, has a safe default and is listed in the README.
Production is switched on by the environment, never by another module.
"""

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, found through TEMPLATES (FORM_RENDERER below)
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "kiezwerk.core",
    "kiezwerk.accounts",
    "kiezwerk.concerns",
    "kiezwerk.desk",
    "kiezwerk.network",
    "kiezwerk.projects",
    "kiezwerk.events",
    "kiezwerk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kiezwerk.core.middleware.CompressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kiezwerk.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kiezwerk.core.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "kiezwerk.urls"
# Widgets render through TEMPLATES, so kiezwerk/templates/django/forms/ can replace a slow widget template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "kiezwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kiezwerk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kiezwerk.core.context_processors.site",
                "kiezwerk.accounts.context_processors.roles",
                "kiezwerk.network.context_processors.partner",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another one.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kiezwerk.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests use a file too, as `make run` does: an in-memory database has no WAL and locks tables across threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, Celery: Redis when REDIS_URL is set; in-process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Separate database numbers for the broker (0) and the cache (1).
    redis_parts = urlsplit(REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(redis_parts._replace(path="/1")),
        }
    }
    CELERY_BROKER_URL = urlunsplit(redis_parts._replace(path="/0"))
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kiezwerk"}}
    CELERY_BROKER_URL = "memory://localhost/"  # with a host name, kombu does not warn on every task
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Berlin"
# Periodic work (run `celery -A kiezwerk beat` beside the worker; without Redis use cron and the commands).
CELERY_BEAT_SCHEDULE = {
    "desk-digests": {"task": "kiezwerk.desk.tasks.digests_send_task", "schedule": crontab(hour=6, minute=30)},
    "privacy-retention": {"task": "kiezwerk.core.tasks.privacy_retention_task", "schedule": crontab(hour=3, minute=0)},
    "referral-followups": {
        "task": "kiezwerk.network.tasks.referral_followups_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "unsent-photos": {"task": "kiezwerk.concerns.tasks.photos_discard_task", "schedule": crontab(hour=3, minute=30)},
    "outbox": {"task": "kiezwerk.core.tasks.outbox_send_due_task", "schedule": crontab()},
    "shift-reminders": {"task": "kiezwerk.projects.tasks.shift_reminders_task", "schedule": crontab(hour=17, minute=0)},
    "event-offers-expire": {"task": "kiezwerk.events.tasks.offers_expire_task", "schedule": crontab(minute="*/5")},
    "event-reminders": {"task": "kiezwerk.events.tasks.event_reminders_task", "schedule": crontab(hour=17, minute=5)},
    "open-data": {"task": "kiezwerk.concerns.tasks.open_data_build_all_task", "schedule": crontab(minute="*/15")},
    "stale-contacts": {
        "task": "kiezwerk.network.tasks.stale_contacts_remind_task",
        "schedule": crontab(hour=7, minute=15, day_of_week="monday"),
    },
}
# The in-process cache is per process: good for one server, checked by django-ratelimit.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# django-allauth: e-mail login, mandatory verification, rate-limited login.
ACCOUNT_ADAPTER = "kiezwerk.accounts.adapter.AccountAdapter"
# After login, the first of these that returns a page for the user (accounts.adapter); else LOGIN_REDIRECT_URL.
LOGIN_LANDINGS = ["kiezwerk.desk.rules.login_landing", "kiezwerk.network.rules.login_landing"]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "kiezwerk.accounts.forms.SignupForm"}  # the same work for known and new addresses
# A password reset for an address without an account mails a notice, as a known one mails the link:
# both render and queue one mail, so neither the answer nor its time tells whether the account exists.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {"login_failed": env.str("LOGIN_RATE_LIMIT", default="5/5m/ip,5/5m/key")}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kiezwerk] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"

# Mail: console in development, SMTP via EMAIL_URL (smtp://user:pass@host:587/?tls=True).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kiezwerk <kiezwerk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
# The outbox (core.outbox) keeps sent mails this long, undelivered ones (listed for the team) longer.
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=30)
OUTBOX_KEEP_FAILED_DAYS = env.int("OUTBOX_KEEP_FAILED_DAYS", default=90)

# Internationalisation: German first.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("pl", _("Polish")),
]
# Languages residents write in and reply templates are kept in (names in their own language).
CONTENT_LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("pl", "Polski"),
]
LOCALE_PATHS = [BASE_DIR / "kiezwerk" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "kiezwerk" / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Never served as media: originals of redacted photos (staff see them through a view).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Form fields of a request (files not counted; Django's default). Files larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file instead of memory. A request larger than
# MAX_PHOTOS × MAX_PHOTO_BYTES plus the form keeps its fields but none of its files (core.intake.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "kiezwerk.core.intake.uploads.UploadLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Photos of concerns.
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = env.int("MAX_PHOTO_BYTES", default=12 * 1024 * 1024)
MAX_PHOTO_PIXELS = env.int("MAX_PHOTO_PIXELS", default=40_000_000)
PHOTO_MAX_EDGE = 2048
THUMBNAIL_EDGE = 480

# Reporting limits: submissions per hour (or /m, /d) by source, per account or else per connection.
INTAKE_RATES = {
    "web": env.str("REPORT_RATE_LIMIT", default="10/h"),  # the public report form, anonymous: per address
    "account": env.str("REPORT_ACCOUNT_RATE_LIMIT", default="20/h"),  # the same form, logged-in residents
    "round": "120/h",  # the street round: concerns, street contacts, conversation notes
    "capture": "120/h",  # concerns the team records at the desk (or through the public form)
    "api": "60/h",
    "flag": "20/h",  # residents reporting a published concern to the moderators
    "support": env.str("SUPPORT_RATE_LIMIT", default="30/h"),  # "betrifft mich auch", per address
    "follow": "20/h",  # subscriptions by e-mail, per address
    "accessibility": env.str("ACCESSIBILITY_FEEDBACK_RATE_LIMIT", default="5/h"),  # barriers reported
}
NEARBY_RADIUS_M = 150

# The desk: a new concern not triaged after this many days counts as overdue.
TRIAGE_TARGET_DAYS = env.int("TRIAGE_TARGET_DAYS", default=3)
# A partner's secret referral link is valid this many days (a new one can be sent).
REFERRAL_LINK_DAYS = env.int("REFERRAL_LINK_DAYS", default=30)
# Contact persons not confirmed for this many months are flagged for review.
CONTACT_CONFIRM_MONTHS = env.int("CONTACT_CONFIRM_MONTHS", default=12)
# Reporters' personal data of concerns closed longer than this is anonymised (manage.py privacy_retention).
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)
# Volunteers' names, e-mail addresses and phone numbers are anonymised this many months after their project ended.
PROJECT_RETENTION_MONTHS = env.int("PROJECT_RETENTION_MONTHS", default=6)
# Names and addresses of people registered for an event's date are anonymised this long after the date.
EVENT_RETENTION_MONTHS = env.int("EVENT_RETENTION_MONTHS", default=6)

# The district map asks for its viewport: up to MAP_MAX_POINTS single concerns, else clusters counted by the
# database; by default open concerns and those resolved in the last MAP_RECENT_DAYS.
MAP_MAX_POINTS = env.int("MAP_MAX_POINTS", default=300)
MAP_RECENT_DAYS = env.int("MAP_RECENT_DAYS", default=90)
MAP_DATA_CACHE_SECONDS = 600
# Map tiles: any XYZ tile server; OpenStreetMap by default.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
)
OPEN_DATA_LICENCE = ("dl-de/by-2-0", "https://www.govdata.de/dl-de/by-2-0")
# Seconds between a change to public data and the build of the open-data files: changes within them build once.
OPEN_DATA_BUILD_DELAY = env.int("OPEN_DATA_BUILD_DELAY", default=10)

# Operator of this installation (imprint and privacy notice).
OPERATOR_NAME = env.str("OPERATOR_NAME", default="Quartiersmanagement (Demo)")
OPERATOR_ADDRESS = env.str("OPERATOR_ADDRESS", default="Musterstraße 1, 86154 Augsburg")
OPERATOR_EMAIL = env.str("OPERATOR_EMAIL", default="quartier@example.org")
# A phone number residents can call (Leichte Sprache page, accessibility statement); empty: none shown.
OPERATOR_PHONE = env.str("OPERATOR_PHONE", default="")
# Who gets the barriers reported through the accessibility statement's feedback form.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default=OPERATOR_EMAIL)
# The enforcement body named in the statement (§ 16 BGG for federal bodies; a Land's Durchsetzungsstelle
# or Schlichtungsstelle for a municipality).
ENFORCEMENT_BODY_NAME = env.str(
    "ENFORCEMENT_BODY_NAME",
    default="Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei dem Beauftragten der "
    "Bundesregierung für die Belange von Menschen mit Behinderungen",
)
ENFORCEMENT_BODY_ADDRESS = env.str("ENFORCEMENT_BODY_ADDRESS", default="Mauerstraße 53, 10117 Berlin")
ENFORCEMENT_BODY_PHONE = env.str("ENFORCEMENT_BODY_PHONE", default="030 18 527-2805")
ENFORCEMENT_BODY_EMAIL = env.str("ENFORCEMENT_BODY_EMAIL", default="info@schlichtungsstelle-bgg.de")
ENFORCEMENT_BODY_URL = env.str("ENFORCEMENT_BODY_URL", default="https://www.schlichtungsstelle-bgg.de")
# The accessibility statement (BITV 2.0, EU 2018/1523): when it was prepared and last reviewed (ISO dates).
ACCESSIBILITY_STATEMENT_DATE = date.fromisoformat(env.str("ACCESSIBILITY_STATEMENT_DATE", default="2026-11-28"))
ACCESSIBILITY_REVIEWED_ON = date.fromisoformat(
    env.str("ACCESSIBILITY_REVIEWED_ON", default=ACCESSIBILITY_STATEMENT_DATE.isoformat())
)

# Security headers. The Content Security Policy allows only our own scripts.
tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]).replace("{s}.", "*.")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", tile_origin],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = SITE_URL.startswith("https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# On https: browsers are told to use https only for a year (HSTS), and plain http is redirected
# (except the health checks, which load balancers ask over plain http inside the network).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
# How many proxies in front append to X-Forwarded-For: the client's address for every limit (core.intake.limits).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if env.bool("BEHIND_PROXY", default=False) else 0)

# Structured log lines on stdout.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint (posters) tells every step of a rendering at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

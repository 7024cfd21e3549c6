"""Settings shared by every environment. Environment variables are read through env.py only."""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds import oembed_providers

from vestnik.core import tags as cache_tags
from vestnik.feed import paths as feed_paths

from . import env

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env.get_str("VESTNIK_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env.get_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
DEBUG = env.get_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Cached article pages carry no token: a comment posted without one is shown back to confirm.
CSRF_FAILURE_VIEW = "vestnik.comments.views.csrf_failure"

INSTALLED_APPS = [
    # Vestnik apps: `core` imports none of them, `news` only `core` (docs/architecture.md).
    "vestnik.core",
    "vestnik.news",
    "vestnik.feed",
    "vestnik.search",
    "vestnik.entities",
    "vestnik.related",
    "vestnik.markets",
    "vestnik.promos",
    "vestnik.comments",
    "vestnik.breaking",
    "vestnik.delivery",
    "vestnik.push",
    "vestnik.live",
    "vestnik.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks_db",  # the queue's table; used when VESTNIK_TASKS=database
    "axes",  # login throttling (below, «Login throttling»)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # OPTIONS/TRACE, body sizes, Russian 405 bodies: before sessions and views do any work.
    "vestnik.delivery.methods.HttpMethodsMiddleware",
    # Early, so every later layer (page caches included) sees request.lite_mode.
    "vestnik.delivery.lite.LiteModeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vestnik.delivery.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Answers a locked-out login with VESTNIK_LOGIN_* below (it wraps the login view).
    "axes.middleware.AxesMiddleware",
    # Last: it needs request.user and request.lite_mode, and wraps only the view.
    "vestnik.delivery.middleware.PageCacheMiddleware",
]

ROOT_URLCONF = "vestnik.urls"
WSGI_APPLICATION = "vestnik.wsgi.application"
ASGI_APPLICATION = "vestnik.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "vestnik.delivery.context_processors.site",
            ],
        },
    },
]

# One URL picks the database: SQLite under var/ by default, PostgreSQL in production.
DATABASE_URL = env.get_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vestnik.sqlite3'}")
# Connections close at the end of each request by default: under ASGI every request runs in a
# thread of its own, so a kept connection is never reused, only left open until its thread is
# collected (about ten open per concurrent reader, enough to hit PostgreSQL's max_connections).
# A WSGI deployment may keep them for DATABASE_CONN_MAX_AGE seconds.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the reader processes and the scheduler work on one file at once;
        # IMMEDIATE takes the write lock up front instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: the site's queries are short, and PostgreSQL's cost estimate for the admin's
    # listings at 1,000,000 pages (subqueries per row before the LIMIT) crossed jit_above_cost,
    # spending 0.15 s compiling for a 0.2 s query (bench/README.md, «Admin at 1,000,000 articles»).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [_options.get("options"), "-c jit=off"]))

# Optional read replicas (PostgreSQL streaming replicas of DATABASE_URL): reader requests read
# them, the newsroom and every write use the primary (vestnik/delivery/replicas.py).
DATABASE_REPLICA_URLS = env.get_list("DATABASE_REPLICA_URLS")
VESTNIK_DATABASE_REPLICAS = []
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}  # tests read the test database itself
    VESTNIK_DATABASE_REPLICAS.append(_alias)
if VESTNIK_DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["vestnik.delivery.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(0, "vestnik.delivery.replicas.ReplicaMiddleware")
# The longest a replica may lag behind, in seconds: pages re-rendered within this time of a purge
# read the primary, and a browser that wrote reads the primary this long.
VESTNIK_DATABASE_REPLICA_LAG = env.get_int("VESTNIK_DATABASE_REPLICA_LAG", 2)
# Paths that always read the primary: the newsroom, and the live feed's replay (it must see every
# event the follower thread, which reads the primary, has already passed on).
VESTNIK_DATABASE_PRIMARY_PATHS = ["/admin/", feed_paths.STREAM]

# Redis when REDIS_URL is set (shared by all app processes), local memory otherwise.
# A Redis outage must not take pages down: errors read as misses (IGNORE_EXCEPTIONS).
REDIS_URL = env.get_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vestnik",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        },
        "renditions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vestnik-renditions",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vestnik",
            # The page cache lives here (per process): Django's default of 300 entries, shared
            # with fragments and values, holds fewer pages than a crawler walks, so none stays.
            # A page is stored in three encodings (tens of KB): memory per process grows with this.
            "OPTIONS": {"MAX_ENTRIES": env.get_int("VESTNIK_PAGE_CACHE_ENTRIES", 3000)},
        },
        # Wagtail looks rendition URLs up here instead of querying per image.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login throttling (django-axes; docs/security.md «Лимиты и адрес читателя») ---------------
# Failed logins are counted in the database every app process shares, per account and per
# address (the reader's, core.http.client_address); a locked account or address is refused,
# right password included, until VESTNIK_LOGIN_COOLOFF_MINUTES after its last failed attempt.
AUTHENTICATION_BACKENDS = [
    "vestnik.delivery.login.LoginThrottleBackend",  # first: refuses before a password is tried
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.get_int("VESTNIK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("VESTNIK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_CLIENT_IP_CALLABLE = "vestnik.core.http.client_address"
AXES_LOCKOUT_CALLABLE = "vestnik.delivery.login.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# Stored in UTC, shown in Moscow time (readers and the newsroom alike).
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vestnik.formats"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env.get_str("VESTNIK_MEDIA_ROOT", str(VAR_DIR / "media")))
# Recommended in production: a separate, cookieless origin such as https://media.example-cdn.net/
# (docs/security.md, «Загрузки и медиафайлы»).
MEDIA_URL = env.get_str("VESTNIK_MEDIA_URL", "/media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Request sizes (docs/security.md «Ввод и размеры запросов»). Bodies are refused by size before
# they are read (vestnik/delivery/limits.py in front of granian; client_max_body_size in nginx):
# readers' forms (comments, leads, search) are small; only the newsroom under /admin/ uploads.
VESTNIK_PUBLIC_MAX_BODY_KB = env.get_int("VESTNIK_PUBLIC_MAX_BODY_KB", 64)
VESTNIK_ADMIN_MAX_BODY_MB = env.get_int(
    "VESTNIK_ADMIN_MAX_BODY_MB", max(300, env.get_int("VESTNIK_VIDEO_MAX_MB", 0) + 20)
)
# Longer addresses get 414, larger header blocks 431, with a Russian page (below granian's own
# 408 KB buffer and matching nginx's large_client_header_buffers).
VESTNIK_MAX_URL_BYTES = 8 * 1024
VESTNIK_MAX_HEADER_BYTES = 32 * 1024
# Form fields (not files) are held in memory: a long article's edit form stays well under this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded files above this go to a temporary file (only the newsroom uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (entity analysis, «Читайте также», renditions, Wagtail's indexes) goes through
# Django's task interface. `immediate` runs it inline after the commit (runserver, management
# commands, tests); VESTNIK_TASKS=database queues it in the database for `manage.py db_worker`,
# which scripts/serve (make demo / serve) and deploy/prod-local.sh start beside granian.
VESTNIK_TASKS = env.get_str("VESTNIK_TASKS", "immediate")
if VESTNIK_TASKS not in ("immediate", "database"):
    raise ImproperlyConfigured(f"VESTNIK_TASKS={VESTNIK_TASKS!r}: expected immediate or database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if VESTNIK_TASKS == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Вестник"
# Links in every e-mail (Wagtail's and the comments'); scripts/serve sets it from its host and port.
WAGTAILADMIN_BASE_URL = env.get_str("VESTNIK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский"), ("en", "English")]
WAGTAIL_USER_TIME_ZONES = ["Europe/Moscow"]
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
# Wagtail's image form, plus the warning for a photo too narrow to lead an article.
WAGTAILIMAGES_IMAGE_FORM_BASE = "vestnik.news.library_forms.NewsImageForm"
# No SVG: an SVG is a document that can run scripts, not a photo.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Uploads (docs/security.md, «Загрузки и медиафайлы»). A photo up to this many megapixels; a bigger
# one (or a decompression bomb: a tiny PNG of 50 MP) is refused before it is decoded. [40]
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(env.get_float("VESTNIK_IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000)
# Documents: a whitelist, and always downloaded (never displayed inline, whatever their type).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# Documents named like a video are probed as one (news/library_forms.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "vestnik.news.library_forms.DocumentForm"
# Video snippets: MP4/MOV/WebM whose streams PyAV can read (news/uploads.py), up to this size. [200]
VESTNIK_VIDEO_MAX_MB = env.get_int("VESTNIK_VIDEO_MAX_MB", 200)
# No outside network on our machines, and readers' privacy: no Gravatar look-ups.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Wagtail 8's autosave is off: it posted the form again after «Одобрить и опубликовать» (an extra
# draft, or a crash), created pages nobody saved and overwrote revisions. Why, and what keeps
# typed text instead: docs/newsroom.md «Согласование и автосохранение».
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# The embed block takes what readers can see under the Content-Security-Policy: providers whose
# embed is an iframe on a host in VESTNIK_CSP_FRAME_SRC (script widgets would be blocked). Any
# other link gets Wagtail's «cannot find an embed» in the editor instead of a blank box on the site.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.youtube, oembed_providers.vimeo],
    }
]
TAGGIT_CASE_INSENSITIVE = True
# Latin URLs, as Russian newsrooms use them; the admin transliterates Cyrillic titles.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# --- Vestnik ---------------------------------------------------------------------------------
VESTNIK_FEED_SIZE = env.get_int("VESTNIK_FEED_SIZE", 20)  # items in the sidebar «Лента новостей»
# How long a «молния» stays in the site-wide banner (and may still be deleted from Telegram).
VESTNIK_BREAKING_MINUTES = env.get_int("VESTNIK_BREAKING_MINUTES", 30)
# A cached page shows a new or withdrawn «молния» at most this many seconds late to readers without
# JavaScript (js/breaking.js corrects the banner at once); docs/architecture.md, «Молния».
VESTNIK_BREAKING_PAGE_MAX_AGE = env.get_int("VESTNIK_BREAKING_PAGE_MAX_AGE", 60)
# The Telegram channel (vestnik.breaking; docs/configuration.md). An empty token: no channel.
VESTNIK_TELEGRAM_BOT_TOKEN = env.get_str("VESTNIK_TELEGRAM_BOT_TOKEN", "")
VESTNIK_TELEGRAM_CHAT_ID = env.get_str("VESTNIK_TELEGRAM_CHAT_ID", "")  # @channel or -100…
VESTNIK_TELEGRAM_API_URL = env.get_str("VESTNIK_TELEGRAM_API_URL", "https://api.telegram.org")
VESTNIK_TELEGRAM_TIMEOUT = env.get_float("VESTNIK_TELEGRAM_TIMEOUT", 5.0)  # seconds per call
VESTNIK_TELEGRAM_ATTEMPTS = env.get_int("VESTNIK_TELEGRAM_ATTEMPTS", 5)  # then «ошибка»
VESTNIK_TELEGRAM_MAX_WAIT = env.get_float("VESTNIK_TELEGRAM_MAX_WAIT", 60.0)  # longest pause
VESTNIK_PAGE_SIZE = env.get_int("VESTNIK_PAGE_SIZE", 20)  # articles per listing page
VESTNIK_SERVE_MEDIA = env.get_bool("VESTNIK_SERVE_MEDIA", False)  # production: the web server does
VESTNIK_SCHEDULER_INTERVAL = env.get_int("VESTNIK_SCHEDULER_INTERVAL", 15)  # seconds
# Outbound HTTP (vestnik/http_client.py): seconds per attempt, extra attempts after a failure.
VESTNIK_HTTP_TIMEOUT = env.get_int("VESTNIK_HTTP_TIMEOUT", 10)
VESTNIK_HTTP_RETRIES = env.get_int("VESTNIK_HTTP_RETRIES", 2)
# The Central Bank of Russia's daily rates (https://www.cbr.ru/development/SXML/).
VESTNIK_RATES_SOURCE_URL = env.get_str(
    "VESTNIK_RATES_SOURCE_URL", "https://www.cbr.ru/scripts/XML_daily.asp"
)
# How often the scheduler asks the Bank for tomorrow's rates until it has them, in seconds.
VESTNIK_RATES_INTERVAL = env.get_int("VESTNIK_RATES_INTERVAL", 1800)
# The rubric (its slug) where the day's rate notes link in the feed («Курс доллара на 5 октября»).
VESTNIK_RATES_NOTES_RUBRIC = env.get_str("VESTNIK_RATES_NOTES_RUBRIC", "investitsii")
# The reader's address (core/http.py: client_address, docs/security.md «Лимиты и адрес читателя»):
# X-Forwarded-For is read only from these proxies (addresses or CIDRs), right to left, up to the
# first address that is not one of them. Empty: the peer's address, the header is ignored.
VESTNIK_TRUSTED_PROXIES = env.get_list("VESTNIK_TRUSTED_PROXIES")
for _proxy in VESTNIK_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"VESTNIK_TRUSTED_PROXIES: {_proxy!r} is not an address or CIDR range"
        ) from _exc
# Older switch, kept: true with an empty list trusts the proxy on this machine (127.0.0.0/8, ::1).
VESTNIK_TRUST_X_FORWARDED_FOR = env.get_bool("VESTNIK_TRUST_X_FORWARDED_FOR", False)

# Content-Security-Policy (delivery/csp.py, docs/security.md). Hosts the body's videos and embeds
# may frame: the embed block's providers (WAGTAILEMBEDS_FINDERS) and the video library's players.
VESTNIK_CSP_FRAME_SRC = env.get_list(
    "VESTNIK_CSP_FRAME_SRC",
    "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com,"
    "https://rutube.ru,https://vk.com,https://vkvideo.ru",
)
# Send the policy as Content-Security-Policy-Report-Only (browsers report, block nothing).
VESTNIK_CSP_REPORT_ONLY = env.get_bool("VESTNIK_CSP_REPORT_ONLY", False)

# Lite mode (zero-rated mobile traffic, delivery/lite.py); both triggers are off by default.
VESTNIK_LITE_HEADER = env.get_str("VESTNIK_LITE_HEADER")  # e.g. X-Zero-Rated, set by the carrier
VESTNIK_LITE_HEADER_VALUES = env.get_list("VESTNIK_LITE_HEADER_VALUES")  # empty: any value
VESTNIK_LITE_NETWORKS = env.get_list("VESTNIK_LITE_NETWORKS")  # CIDR list of the carrier's gateways

# Promos: the in-feed promo follows this item of «Лента новостей» (the seed: after the 7th).
VESTNIK_PROMO_FEED_POSITION = env.get_int("VESTNIK_PROMO_FEED_POSITION", 7)
# How long the list of active promos is kept; with the locmem cache and several app processes
# an edit reaches the other processes within this time (with Redis: at once).
VESTNIK_PROMO_CANDIDATES_SECONDS = env.get_int("VESTNIK_PROMO_CANDIDATES_SECONDS", 60)
# How often view and click counts move from the cache to the database, in seconds.
VESTNIK_PROMO_FLUSH_SECONDS = env.get_int("VESTNIK_PROMO_FLUSH_SECONDS", 60)
# Leads per address per window (seconds); more get HTTP 429.
VESTNIK_LEAD_RATE_LIMIT = env.get_int("VESTNIK_LEAD_RATE_LIMIT", 5)
VESTNIK_LEAD_RATE_WINDOW = env.get_int("VESTNIK_LEAD_RATE_WINDOW", 3600)
# The personal-data policy the lead form links to; empty: Vestnik's own page /privacy/.
VESTNIK_PRIVACY_POLICY_URL = env.get_str("VESTNIK_PRIVACY_POLICY_URL")

# Where rate-limit counts live (core/ratelimit.py): Redis when there is one, else a table in the
# database; both are shared by every app process, so a limit holds whatever worker serves.
VESTNIK_RATELIMIT_STORE = "cache" if REDIS_URL else "database"

# --- Web push for «Молния» (docs/architecture.md, «Web push») --------------------------------------
# VAPID key pair (`manage.py vapid_keys` prints one): the public key as base64url of the 65-byte
# P-256 point, the private key as base64url of its 32 bytes, and a contact (mailto: or https:).
# Without all three the button is not shown and nothing is sent.
VESTNIK_VAPID_PUBLIC_KEY = env.get_str("VESTNIK_VAPID_PUBLIC_KEY")
VESTNIK_VAPID_PRIVATE_KEY = env.get_str("VESTNIK_VAPID_PRIVATE_KEY")
VESTNIK_VAPID_SUBJECT = env.get_str("VESTNIK_VAPID_SUBJECT")
# How long a push service keeps a «молния» for an offline browser, in seconds. [1800]
VESTNIK_PUSH_TTL = env.get_int("VESTNIK_PUSH_TTL", 1800)
# Parallel sends (threads, each with its own kept-alive connections). [16]
VESTNIK_PUSH_THREADS = env.get_int("VESTNIK_PUSH_THREADS", 16)
# Extra attempts after a 429, a 5xx or a network error, waiting BACKOFF × 2^n s (or Retry-After).
VESTNIK_PUSH_RETRIES = env.get_int("VESTNIK_PUSH_RETRIES", 3)
VESTNIK_PUSH_BACKOFF = env.get_float("VESTNIK_PUSH_BACKOFF", 1.0)
VESTNIK_PUSH_TIMEOUT = env.get_float("VESTNIK_PUSH_TIMEOUT", 10.0)
# Subscribers claimed per batch; a crash re-sends at most one batch's unconfirmed sends.
VESTNIK_PUSH_BATCH = 500
# Claimed sends older than this (a crashed worker's) are sent again by the next run, in seconds.
VESTNIK_PUSH_LEASE = 300
# Push services subscriptions may point at (host or parent domain): the worker POSTs to the
# endpoint a browser gave, so any other host (an address inside our network) is refused.
VESTNIK_PUSH_HOSTS = env.get_list(
    "VESTNIK_PUSH_HOSTS",
    "fcm.googleapis.com,push.services.mozilla.com,notify.windows.com,push.apple.com",
)
# Tests and benchmarks: also accept http://127.0.0.1 and http://localhost endpoints (always with
# DEBUG). [false]
VESTNIK_PUSH_ALLOW_LOCAL = env.get_bool("VESTNIK_PUSH_ALLOW_LOCAL", False)
# Subscribe/unsubscribe requests per address per window (seconds); more get HTTP 429.
VESTNIK_PUSH_RATE_LIMIT = env.get_int("VESTNIK_PUSH_RATE_LIMIT", 10)
VESTNIK_PUSH_RATE_WINDOW = env.get_int("VESTNIK_PUSH_RATE_WINDOW", 600)

# --- Comments (docs/architecture.md, «Comments») -----------------------------------------------
# Rate limits count attempts in a window (VESTNIK_RATELIMIT_STORE, shared by all processes).
VESTNIK_COMMENTS_RATE_WINDOW = env.get_int("VESTNIK_COMMENTS_RATE_WINDOW", 600)  # seconds
VESTNIK_COMMENTS_RATE_PER_ADDRESS = env.get_int("VESTNIK_COMMENTS_RATE_PER_ADDRESS", 5)
VESTNIK_COMMENTS_RATE_PER_ARTICLE = env.get_int("VESTNIK_COMMENTS_RATE_PER_ARTICLE", 60)
VESTNIK_COMMENTS_MIN_LENGTH = env.get_int("VESTNIK_COMMENTS_MIN_LENGTH", 2)
VESTNIK_COMMENTS_MAX_LENGTH = env.get_int("VESTNIK_COMMENTS_MAX_LENGTH", 2000)
VESTNIK_COMMENTS_NAME_MAX_LENGTH = 80  # the column's size
# Who gets the moderators' digest of new comments; empty: the active moderators with an address.
VESTNIK_COMMENTS_NOTIFY = env.get_list("VESTNIK_COMMENTS_NOTIFY")
VESTNIK_COMMENTS_MODERATOR_GROUPS = ["Редакторы", "Администраторы"]
# At most one digest e-mail per this many minutes; comments in between wait for the next one.
VESTNIK_MODERATION_DIGEST_MINUTES = env.get_int("VESTNIK_MODERATION_DIGEST_MINUTES", 15)


def _email_from_default(base_url: str) -> str:
    """vestnik@ the site's own domain, as its links; vestnik@localhost for an IP address."""
    host = urlsplit(base_url).hostname or "localhost"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return f"vestnik@{host}"
    return "vestnik@localhost"


# E-mail (moderator notifications): printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env.get_str(
    "VESTNIK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.get_str("VESTNIK_EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("VESTNIK_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env.get_str("VESTNIK_EMAIL_FROM", _email_from_default(WAGTAILADMIN_BASE_URL))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# Live feed (feed/live.py). Without Redis each process polls max(id) of the event log this often:
# one indexed query per process, whatever the number of open streams.
VESTNIK_FEED_POLL_INTERVAL = env.get_int("VESTNIK_FEED_POLL_MS", 500) / 1000
VESTNIK_FEED_HEARTBEAT = env.get_int("VESTNIK_FEED_HEARTBEAT", 15)  # seconds between SSE pings
VESTNIK_FEED_RETRY_MS = 2000  # the browser's reconnect delay after a dropped stream
VESTNIK_FEED_REPLAY_MAX = 200  # further behind than this, a reader gets the whole list instead
VESTNIK_FEED_EVENTS_KEEP = 10_000  # event log rows kept per channel (pruned every 1,000 events)
# Days a broadcast channel's events stay in the log (the news feed's are kept by number only).
VESTNIK_FEED_CHANNEL_DAYS = env.get_int("VESTNIK_FEED_CHANNEL_DAYS", 7)
VESTNIK_FEED_JSON_MAX_AGE = 5  # seconds a CDN may keep /news/latest.json
# Redis pub/sub channel of feed wake-ups; empty: derived from the database name.
VESTNIK_FEED_CHANNEL = env.get_str("VESTNIK_FEED_CHANNEL")
# Syndication (feed/feeds.py): items per RSS feed; days of articles in the Yandex News feed; days
# and items of the Dzen feed (Dzen asks for the last two or three days, at most 500 items).
VESTNIK_RSS_SIZE = env.get_int("VESTNIK_RSS_SIZE", 50)
VESTNIK_YANDEX_FEED_DAYS = env.get_int("VESTNIK_YANDEX_FEED_DAYS", 8)
VESTNIK_DZEN_FEED_DAYS = env.get_int("VESTNIK_DZEN_FEED_DAYS", 3)
VESTNIK_DZEN_FEED_SIZE = env.get_int("VESTNIK_DZEN_FEED_SIZE", 500)
# The admin page search ranks and counts only this many newest matches (news/admin_search.py).
VESTNIK_ADMIN_SEARCH_LIMIT = env.get_int("VESTNIK_ADMIN_SEARCH_LIMIT", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"host_once": {"()": "vestnik.delivery.logs.DisallowedHostOnce"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get_str("VESTNIK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        # A bad Host is a scanner, not a fault: one WARNING line per host, no traceback.
        "django.security.DisallowedHost": {"filters": ["host_once"]},
    },
}

# Work on a clock, run by `manage.py run_scheduler` (started by `make demo` and deploy/): each app
# registers its jobs in ready() (core/scheduler.py); jobs named here are left out.
VESTNIK_SCHEDULER_DISABLED: list[str] = []

# --- Page cache (vestnik.delivery) -----------------------------------------------------------
VESTNIK_PAGE_CACHE = env.get_bool("VESTNIK_PAGE_CACHE", True)
VESTNIK_PAGE_CACHE_ALIAS = "default"
# Shared fragments (rubric menu, rates widget, feed sidebar) are rendered once and reused until
# their tags are purged, with or without the page cache: a page not cached yet still renders fast.
VESTNIK_FRAGMENT_CACHE = env.get_bool("VESTNIK_FRAGMENT_CACHE", True)
# Where purge times of cache tags live: the shared cache (Redis) or the database (embedded
# default, whose local-memory cache each granian worker has to itself).
VESTNIK_PAGE_CACHE_TAG_STORE = "cache" if REDIS_URL else "database"
VESTNIK_PAGE_CACHE_TTL = env.get_int("VESTNIK_PAGE_CACHE_TTL", 300)  # seconds fresh, unless purged
VESTNIK_PAGE_CACHE_KEEP = 24 * 3600  # kept this long to stand in while re-rendering or on errors
VESTNIK_PAGE_CACHE_LOCK = 15  # seconds one request may take to re-render before another tries
VESTNIK_STALE_WHILE_REVALIDATE = 30
VESTNIK_STALE_IF_ERROR = 24 * 3600
# Each process reuses purge times it read this many seconds ago (purges reach it within that).
VESTNIK_PAGE_CACHE_TAG_MEMO = env.get_float("VESTNIK_PAGE_CACHE_TAG_MEMO", 0.25)
# Behind nginx (deploy/): seconds nginx may keep a page the app serves from its cache
# (`X-Accel-Expires`), so a crowd on one page costs the app one request per page per interval.
# Purges then reach readers within this many seconds; 0 (the embedded default): no header.
VESTNIK_PROXY_CACHE_SECONDS = env.get_int("VESTNIK_PROXY_CACHE_SECONDS", 0)
VESTNIK_PAGE_CACHE_CLOCK_SKEW = 0.0  # seconds a render must start after a purge to count
VESTNIK_RETRY_AFTER = 30  # seconds, on the 503 page when the database is down
# Every page shows the rubric menu, rates and promos: their tags go on every page. Not the feed:
# a page that embeds the sidebar shows it at most VESTNIK_FEED_SIDEBAR_MAX_AGE seconds out of date
# (the sidebar's live script catches up at once), so a publish does not empty the page cache.
VESTNIK_PAGE_CACHE_SITE_TAGS = [cache_tags.PAGES, cache_tags.RATES, cache_tags.PROMOS]
VESTNIK_FEED_SIDEBAR_MAX_AGE = env.get_int("VESTNIK_FEED_SIDEBAR_MAX_AGE", 120)
VESTNIK_PAGE_CACHE_EXCLUDE = ["/admin/", "/documents/", "/media/", "/static/"]
# Relevance order ranks the newest this many matches of a query (at least 1000: the 50 pages a
# reader can open); older matches are reachable by newest-first order and the date filters.
VESTNIK_SEARCH_RANK_WINDOW = env.get_int("VESTNIK_SEARCH_RANK_WINDOW", 2000)

# Entity analysis (natasha) and embeddings («Читайте также») after each save/publish.
VESTNIK_ANALYSIS = env.get_bool("VESTNIK_ANALYSIS", True)
# «Читайте также»: a new article is compared with this many newest embedded articles.
VESTNIK_RELATED_CANDIDATES = env.get_int("VESTNIK_RELATED_CANDIDATES", 20000)

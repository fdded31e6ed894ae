"""Settings of the KLA portal, read from the environment.

With no environment at all the portal runs embedded, for a developer's checkout: DEBUG on,
a SQLite file, a Celery broker kept in a folder, results in the database, files in a local
folder, e-mail printed to the console. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL``
switches the broker, the task results and the cache to Redis. Deployments set ``DEBUG=false``
(the Docker image does), and then ``SECRET_KEY`` is required. The README lists every variable.
"""

import re
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kla_portal.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    opsi_s3,
    require_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KLA_VAR_DIR") or BASE_DIR / "var")
if not VAR_DIR.is_absolute():
    VAR_DIR = BASE_DIR / VAR_DIR

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = require_secret_key(DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The kab/kota this deployment serves (Kemendagri code such as 36.73). Empty: the first
# kab/kota loaded with ``load_wilayah`` is the one served.
KLA_KABKOTA = env_str("KLA_KABKOTA")
if KLA_KABKOTA and not re.fullmatch(r"\d{2}\.\d{2}", KLA_KABKOTA):
    raise ImproperlyConfigured(
        f"KLA_KABKOTA={KLA_KABKOTA!r} tidak valid: gunakan kode Kemendagri kab/kota seperti 36.73."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "widget_tweaks",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_celery_results",
    "django_celery_beat",
    "kla_portal",
    "agencies",
    "clusters",
    "rencana_aksi",
    "koordinasi",
    "laporan",
    "provinsi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kla_portal.middleware.BahasaMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kla_portal.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kla_portal.middleware.SesiMenganggurMiddleware",
    "kla_portal.middleware.CatatanUnggahanMiddleware",
    # After a write, the person's next reads come from the primary (kla_portal.replika).
    "kla_portal.replika.SematkanMiddleware",
    # An object store that cannot be reached: a 503 saying so, not a bare server error.
    "kla_portal.penyimpanan.PenyimpananMiddleware",
    # After CSRF and the messages: a repeated POST is answered "sudah tersimpan".
    "kla_portal.middleware.KirimSekaliMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kla_portal.urls"
# Forms render through templates/partials/form_field.html: Bootstrap classes, errors, help.
FORM_RENDERER = "kla_portal.forms.PortalFormRenderer"
WSGI_APPLICATION = "kla_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kla_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kla.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file: WAL lets readers go on while one
    # writes, IMMEDIATE transactions and a busy timeout make writers queue instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a worker process started by the tests sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-kla.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# An optional read replica (a streaming standby of the primary) for the dashboards; a person
# who has just written reads from the primary for REPLIKA_SEMATKAN_DETIK seconds
# (kla_portal.replika). Connections to both are kept (CONN_MAX_AGE) and checked before reuse.
REPLIKA_ADA = bool(env_str("DATABASE_REPLICA_URL"))
REPLIKA_SEMATKAN_DETIK = env_int("REPLIKA_SEMATKAN_DETIK", 30, minimum=1)
if REPLIKA_ADA:
    DATABASES["replika"] = env_database("DATABASE_REPLICA_URL", "")
    # Tests read and write the primary's test database through both names.
    DATABASES["replika"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kla_portal.replika.Router"]

# --- Redis, Celery, cache -----------------------------------------------------------------

REDIS_URL = env_redis_url("REDIS_URL")
BROKER_DIR = VAR_DIR / "broker"

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kla",
            # A Redis that does not answer costs a page two seconds, not a hung worker: every
            # use of the cache goes on without it (kla_portal.cache).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # A broker that needs no server: messages are files in a folder shared by web and worker.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "pesan"),
        "data_folder_out": str(BROKER_DIR / "pesan"),
        "control_folder": str(BROKER_DIR / "kontrol"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
    CELERY_RESULT_BACKEND = "django-db"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = timedelta(days=7)
CELERY_TIMEZONE = "Asia/Jakarta"
# One queue per kind of work, each with its own worker pool in a deployment (docker-compose.yml),
# so a 20-minute bundle never delays a score recompute or a reminder: ``skor`` the score
# recomputes and the portal's own upkeep (quick jobs; /health/ pings it), ``laporan`` bundles,
# report cards, export packages and the governor's attachment, ``impor`` large imports,
# ``surel`` reminders and meeting e-mails. ``make run`` has one worker take all four.
CELERY_TASK_DEFAULT_QUEUE = "skor"
ANTREAN = ("skor", "laporan", "impor", "surel")
CELERY_TASK_ROUTES = {
    "laporan.tasks.*": {"queue": "laporan"},
    "provinsi.tasks.*": {"queue": "laporan"},
    "rencana_aksi.tasks.impor_rad": {"queue": "impor"},  # RAD files > 300 rows
    "koordinasi.tasks.*": {"queue": "surel"},
    "clusters.tasks.ingatkan_batas_waktu": {"queue": "surel"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 14 * 60, minimum=10)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50, minimum=1)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Jobs whose worker died (no heartbeat) are marked failed, and their temporary folders go.
    "sapu-pekerjaan-mati": {
        "task": "kla_portal.sapu_pekerjaan",
        "schedule": timedelta(seconds=30),
    },
    # Deadline reminders (three days and one day before), every morning at 07.00 WIB.
    "ingatkan-batas-waktu": {
        "task": "clusters.tasks.ingatkan_batas_waktu",
        "schedule": crontab(hour=7, minute=0),
    },
    # The safety net of score recomputes: a year whose answers changed after its newest
    # snapshot (a lost task, a change outside the services) is recomputed.
    "periksa-skor-basi": {
        "task": "clusters.tasks.periksa_skor_basi",
        "schedule": crontab(minute="*/10"),
    },
    # Years whose change could not queue its recompute (the broker was down) are recomputed
    # within a minute of the broker coming back; a worker also does it when it starts.
    "hitung-skor-tertunda": {
        "task": "clusters.tasks.hitung_skor_tertunda",
        "schedule": crontab(),
    },
    # Coordination: everyone invited hears of a meeting the day before (checked every hour);
    # owner agencies of follow-ups due in three days, in one day, or a day late, at 07.00 WIB.
    "ingatkan-rapat": {
        "task": "koordinasi.tasks.ingatkan_rapat",
        "schedule": crontab(minute=5),
    },
    "ingatkan-tindak-lanjut": {
        "task": "koordinasi.tasks.ingatkan_tindak_lanjut",
        "schedule": crontab(hour=7, minute=5),
    },
    # The one-time keys of sent forms (kla_portal.kirim_sekali) are kept a day.
    "bersihkan-kunci-kirim": {
        "task": "kla_portal.bersihkan_kunci_kirim",
        "schedule": crontab(minute=35),
    },
}

# Background jobs (kla_portal.Pekerjaan). A running task beats (writes its job's ``detak``) at
# every report and at least every PEKERJAAN_DETAK_SETIAP seconds; a running job silent for
# PEKERJAAN_BATAS_DETAK seconds has lost its worker. A queued job is dead only after waiting
# PEKERJAAN_BATAS_ANTRE seconds with no earlier job still beating (it may wait behind them).
PEKERJAAN_DETAK_SETIAP = env_int("PEKERJAAN_DETAK_SETIAP", 15, minimum=1)
PEKERJAAN_BATAS_DETAK = env_int("PEKERJAAN_BATAS_DETAK", 90, minimum=2)
PEKERJAAN_BATAS_ANTRE = env_int("PEKERJAAN_BATAS_ANTRE", 10 * 60, minimum=2)
# Seconds a worker waits, after closing a dead database connection, before writing a job's
# final status again (a restarting database is usually back by then).
PEKERJAAN_JEDA_SAMBUNG = env_int("PEKERJAAN_JEDA_SAMBUNG", 5, minimum=0)

# Seconds /health/ waits for a worker to answer its ping.
HEALTH_WORKER_TIMEOUT = env_int("HEALTH_WORKER_TIMEOUT", 5, minimum=1)
# Anonymous callers of /health/ learn only ok / not ok; staff and whoever brings this token
# (Authorization: Bearer …, or ?token=…) also see which part is down. Empty: staff only.
HEALTH_TOKEN = env_str("HEALTH_TOKEN")

# --- Files --------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
# Uploaded files live outside any public URL; views serve them after a permission check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    # The media folder; a write that fails (disk full) leaves no partial file.
    "default": {"BACKEND": "kla_portal.berkas.PenyimpananBerkas"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Object storage: with AWS_STORAGE_BUCKET_NAME set, every file (evidence, decrees, minutes,
# photos, bundles, report cards, imports waiting for confirmation) lives in that bucket of an
# S3-compatible store (MinIO, AWS S3, …), so several web and worker hosts share them. Names are
# random and never overwritten; objects are private and downloads still pass the portal's
# permission check; a store that does not answer fails a request in seconds, not a minute.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": opsi_s3(
            bucket=AWS_STORAGE_BUCKET_NAME,
            endpoint=env_str("AWS_S3_ENDPOINT_URL"),
            access_key=env_str("AWS_ACCESS_KEY_ID"),
            secret_key=env_str("AWS_SECRET_ACCESS_KEY"),
            region=env_str("AWS_S3_REGION_NAME"),
            location=env_str("AWS_LOCATION"),
        ),
    }

# Largest file a person may upload (evidence, spreadsheets), in megabytes.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20, minimum=1)
# Score recomputes wait this long after a change, so a burst of changes makes one recompute.
SKOR_JEDA_DETIK = env_int("SKOR_JEDA_DETIK", 3, minimum=0)
# An evidence PDF longer than this is listed in the bundle as not included (the ZIP bundle
# still carries it): one 300-page document should not bury the answers around it.
BUNDEL_MAKS_HALAMAN_BERKAS = env_int("BUNDEL_MAKS_HALAMAN_BERKAS", 50, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields other than files
# Largest spreadsheet an import reads (instrument, answers, RAD): rows of its sheet, and
# megabytes its sheets unpack to (a small workbook can unpack into gigabytes).
IMPOR_MAKS_BARIS = env_int("IMPOR_MAKS_BARIS", 20_000, minimum=1)
IMPOR_MAKS_MB = env_int("IMPOR_MAKS_MB", 50, minimum=1)

for folder in (VAR_DIR, MEDIA_ROOT, STATIC_ROOT, BROKER_DIR / "pesan", BROKER_DIR / "kontrol"):
    folder.mkdir(parents=True, exist_ok=True)

# --- Accounts and security ----------------------------------------------------------------

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters at least (OWASP ASVS level 2), for every password a person chooses.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "masuk"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "masuk"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling: five wrong passwords for one username from one address lock that pair
# for fifteen minutes (someone elsewhere is not locked out); twenty failures from one address,
# whatever the usernames, lock the address (no spraying one password over every account).
# The address limit is higher because a whole office may share one NAT address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
# The order matters: agencies.kunci_masuk counts the first for the pair, the second alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "agencies.kunci_masuk.KunciMasukHandler"
AXES_LOCKOUT_CALLABLE = "agencies.views.login_terkunci"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
# The client's address (for login throttling) is read by django-ipware. Behind the proxy it is
# the TRUSTED_PROXY_COUNT-th address from the right of X-Forwarded-For (each proxy appends the
# address it saw; whatever a client wrote there itself stays on the left). Without a proxy the
# header is anybody's to write, so only the connection's own address counts.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)
IPWARE_STRICT = False  # a client's own X-Forwarded-For entries must not void the chain
AXES_IPWARE_PROXY_ORDER = "left-most"
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1  # ipware counts the proxies in the header
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A session ends after this many idle minutes; every request keeps it going (kla_portal.
# middleware.SesiMenganggurMiddleware renews it at most every few minutes, not on each request).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120, minimum=5)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "kla_portal.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Language, time, numbers --------------------------------------------------------------

LANGUAGE_CODE = "id"
# Each language is named in itself, as a person looking for it would read it.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Indonesian numbers: 1.250.000,50 (the id locale's separators).
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kla_portal.formats"]

# --- E-mail -------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The portal's public address, for links in e-mails (no trailing slash).
KLA_URL = env_str("KLA_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Portal KLA <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API ----------------------------------------------------------------------------------

# Requests per minute to the API, per token (per person for a browser session), reads and
# writes counted apart; over the limit the answer is 429 with Retry-After (agencies.token).
API_BATAS_BACA_PER_MENIT = env_int("API_BATAS_BACA_PER_MENIT", 600, minimum=1)
API_BATAS_TULIS_PER_MENIT = env_int("API_BATAS_TULIS_PER_MENIT", 120, minimum=1)
REST_FRAMEWORK = {
    # The token first: a request without credentials gets 401 with WWW-Authenticate: Bearer.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agencies.token.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's parsers; JSON nested too deep is a 400 (kla_portal.parser), not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "kla_portal.parser.JsonParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["agencies.token.BatasPermintaan"],
    "DEFAULT_THROTTLE_RATES": {
        "api_baca": f"{API_BATAS_BACA_PER_MENIT}/min",
        "api_tulis": f"{API_BATAS_TULIS_PER_MENIT}/min",
    },
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kla_portal.pagination.Halaman",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kla_portal.api.penangan_galat",
    "DEFAULT_SCHEMA_CLASS": "kla_portal.skema.SkemaApi",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Portal KLA",
    "DESCRIPTION": (
        "Data Gugus Tugas Kota Layak Anak, dibatasi sesuai peran pengguna: evaluasi, skor, "
        "RAD KLA, koordinasi, pekerjaan dan paket ekspor.\n\n"
        "- **Masuk**: sesi peramban, atau `Authorization: Bearer kla_…` (token API dari "
        "halaman *Akun saya*; hanya baca atau baca-tulis).\n"
        "- **Galat**: `application/problem+json` (RFC 9457), `detail` dalam bahasa Indonesia; "
        "kirim `Accept-Language: en` untuk bahasa Inggris.\n"
        "- **Versi**: penulisan mengirim `versi` yang dibaca; versi usang dijawab 409 beserta "
        "data terkini (`sekarang`).\n"
        "- **Kirim ulang aman**: header `Idempotency-Key` pada POST/PUT/PATCH/DELETE; "
        "pengulangan mendapat jawaban pertama (`Idempotent-Replayed: true`).\n"
        "- **Daftar**: `?page=` dan `?page_size=` (maks. 200)."
    ),
    "VERSION": "1",
    # Operations grouped by resource (jawaban, rapat, rad, ...), not all under "v1", in the
    # order of the work: the person, the evaluation, scores, the RAD, coordination, jobs.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "TAGS": [
        {"name": "saya", "description": "Orang yang masuk dan perannya."},
        {"name": "token", "description": "Token API pribadi: buat, lihat, cabut."},
        {"name": "wilayah", "description": "Wilayah kota (kode Kemendagri)."},
        {"name": "opd", "description": "Perangkat daerah yang dapat Anda lihat."},
        {"name": "tahun-evaluasi", "description": "Tahun evaluasi, batas waktu, instrumen."},
        {"name": "kelompok", "description": "Klaster instrumen."},
        {"name": "indikator", "description": "Indikator instrumen."},
        {"name": "pertanyaan", "description": "Pertanyaan, pilihan jawaban, data dukung wajib."},
        {"name": "penugasan", "description": "OPD penanggung jawab tiap pertanyaan."},
        {"name": "jawaban", "description": "Jawaban, riwayat, dan langkah alur kerjanya."},
        {"name": "bukti", "description": "Data dukung jawaban: unggah, ganti, lepas, unduh."},
        {"name": "skor", "description": "Skor dari snapshot terbaru; tren antartahun."},
        {"name": "rad", "description": "RAD KLA: periode, aksi, laporan triwulan, pemantauan."},
        {"name": "gugus-tugas", "description": "Gugus Tugas dan SK-nya."},
        {"name": "anggota-gugus-tugas", "description": "Kursi anggota Gugus Tugas."},
        {"name": "personil", "description": "Orang dan pelatihan KHA."},
        {"name": "jenis-fasilitas", "description": "Jenis fasilitas kewilayahan."},
        {"name": "fasilitas", "description": "Register fasilitas per kecamatan/kelurahan."},
        {"name": "rapat", "description": "Rapat koordinasi: undangan, kehadiran, notulen."},
        {"name": "tindak-lanjut", "description": "Tindak lanjut rapat: pemilik, tenggat, bukti."},
        {"name": "pekerjaan", "description": "Pekerjaan panjang: bundel, impor RAD; kemajuan."},
        {"name": "paket", "description": "Paket ekspor satu tahun evaluasi (JSON + berkas)."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose fields share a name ("status"), each named once.
    "ENUM_NAME_OVERRIDES": {
        "StatusAksiEnum": "rencana_aksi.models.Aksi.Status",
        "StatusAlurEnum": "clusters.alur.Status",
        "StatusRapatEnum": "koordinasi.models.Rapat.Status",
        "StatusTindakLanjutEnum": "koordinasi.models.TindakLanjut.Status",
        "SaringTindakLanjutEnum": "koordinasi.api.SARING_TINDAK_LANJUT",
        "StatusFasilitasEnum": "agencies.fasilitas.StatusFasilitas",
    },
}

# --- Logging ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every page it lays out; the bundle's progress bar listens instead.
        "weasyprint.progress": {"level": "WARNING"},
        # The folder broker has no host; kombu warns about that on every connection.
        "kombu.connection": {"level": "WARNING" if REDIS_URL else "ERROR"},
        # pikepdf announces its logging bridge once per process.
        "pikepdf._core": {"level": "WARNING"},
    },
}

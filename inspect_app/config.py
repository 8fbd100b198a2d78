"""Configuration. The only module that reads environment variables.

`INSPECT_APP_ENV` picks the class (development by default). `DATABASE_URL` switches from the embedded SQLite
file in the instance folder to PostgreSQL. Thresholds the readiness rules use live here, not in code.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'inspect_app.sqlite'}"
    # SQLAlchemy does not accept the Heroku-style scheme; name the driver explicitly (psycopg 3).
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, else a random key kept in the instance folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    ENV_NAME = "base"
    SERVICE_NAME = "Inspect"

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions: cookies are HttpOnly and SameSite=Lax always, Secure outside development.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "inspect_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    REMEMBER_COOKIE_DURATION = timedelta(0)

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Login throttling: after this many failures for one email (or 4x this from one address) within the
    # window, sign-in is refused until the window has passed.
    LOGIN_MAX_FAILURES = 5
    LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)

    MAX_CONTENT_LENGTH = 50 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 25 * 1024 * 1024
    EVIDENCE_REVIEW_MONTHS = 12  # default review-by date: this many months after the data's as-at date
    EVIDENCE_REVIEW_SOON_DAYS = 30  # "needs review soon": the review-by date is at most this many days away
    # Evidence file types accepted (ids in domain/file_types.py), checked by content, not just by name.
    EVIDENCE_ALLOWED_TYPES = (
        "pdf", "docx", "doc", "xlsx", "xls", "pptx", "ppt", "odt", "ods", "odp", "csv", "txt", "png", "jpeg",
    )
    EVIDENCE_STORE_BACKEND = "local"  # a key of storage.BACKENDS
    EVIDENCE_IMPORT_MAX_ROWS = 5000
    FRAMEWORKS_DIR = PROJECT_ROOT / "frameworks"
    # DfE's published files (copied byte for byte, with their attribution) the demo imports for comparators.
    DFE_DEMO_DIR = PROJECT_ROOT / "tests" / "fixtures" / "files" / "dfe"
    PAGE_SIZE = 25

    # Self-evaluation: the grade scale (best first) and the partners whose leads must all sign a version.
    SEF_GRADES = ("strong", "secure", "developing", "weak")
    SEF_SIGNOFF_PARTNERS = ("council", "icb")
    SEF_MAX_NEXT_STEPS = 5
    # Readiness: overrides of the gap rules' thresholds and the score weights, by name, e.g.
    # {"stale_after_months": 18, "weights": {"measures": 40}} (domain/readiness_config.py lists every one).
    READINESS: dict = {}  # read only: ReadinessConfig.from_mapping copies it
    # Inspector access granted from an inspection record ends this many days after the on-site week.
    INSPECTOR_ACCESS_DAYS_AFTER_ON_SITE = 7

    # Scheduled exports (EXPORT_ROOT is set in __init__). A failed export is retried by the first run at least
    # EXPORT_RETRY_FIRST later; the wait doubles with each consecutive failure up to EXPORT_RETRY_MAX, and is
    # never later than the schedule's next regular time.
    EXPORT_RETRY_FIRST = timedelta(minutes=1)
    EXPORT_RETRY_MAX = timedelta(hours=1)
    # A run still "running" after this long was abandoned (its runner was killed): it is marked failed and retried.
    EXPORT_ABANDONED_AFTER = timedelta(hours=1)
    EXPORT_KEEP_LAST_DEFAULT = 10
    # Family feedback: breakdowns by group with fewer responses than this show "fewer than 5", never a figure
    # (DESIGN.md: suppressed in reports); an uploaded survey export waits this long for its columns to be mapped.
    FEEDBACK_MIN_GROUP_SIZE = 5
    PENDING_UPLOAD_MAX_AGE = timedelta(days=1)

    # Timeliness: case and review imports run in a background thread (state in the database, so any worker
    # shows the status page); inline runs them within the upload request instead (tests). An import still
    # queued or running after TIMELINESS_IMPORT_STALE_MINUTES is shown as stopped (its worker went away).
    TIMELINESS_IMPORT_INLINE = False
    TIMELINESS_IMPORT_STALE_MINUTES = 30
    TIMELINESS_IMPORT_ERRORS_PAGE_SIZE = 100
    # Computed measures are kept per process for this many partnerships (keyed by their latest import).
    TIMELINESS_CACHE_SIZE = 8
    # A SEN2 return (XML, or a ZIP of Blade CSVs unpacked) larger than this is refused before it is read; the
    # upload page accepts files up to this size (other uploads keep MAX_CONTENT_LENGTH).
    SEN2_MAX_BYTES = 512 * 1024 * 1024
    # EXCEPTIONS_IMPLAUSIBLE (domain/measure_choices.ExceptionsCheck): exceptions claimed for more than max_share
    # of a year's plans look implausible (DfE suppresses councils that class nearly every plan as an exception);
    # years with fewer than min_plans plans are not judged.
    EXCEPTIONS_IMPLAUSIBLE: dict = {"max_share": 0.5, "min_plans": 5}  # read only
    # A local measure more than this many percentage points from the council's own published figure for the same
    # year is flagged on the data-quality page (DESIGN.md "Reconciliation").
    RECONCILIATION_THRESHOLD_POINTS = 2.0

    def __init__(self) -> None:
        self.INSTANCE_PATH = Path(os.environ.get("INSPECT_APP_INSTANCE") or DEFAULT_INSTANCE)
        self.INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
        self.EXPORT_ROOT = Path(os.environ.get("INSPECT_APP_EXPORT_ROOT") or self.INSTANCE_PATH / "exports")
        # Evidence files: content-addressed, <path>/ab/cd/<sha256>. Share one folder between all app hosts.
        self.EVIDENCE_STORE_PATH = Path(
            os.environ.get("INSPECT_APP_EVIDENCE_STORE") or self.INSTANCE_PATH / "evidence-store"
        )
        # Uploaded files between the steps of an import, under random names (storage/pending_uploads.py).
        self.PENDING_UPLOADS_DIR = self.INSTANCE_PATH / "pending-uploads"
        self.IMPORT_UPLOAD_DIR = self.INSTANCE_PATH / "uploads" / "imports"  # uploaded files until processed
        # Frozen "now" for tests and demonstrations (ISO 8601); None means the real clock.
        self.FIXED_NOW: str | None = os.environ.get("INSPECT_APP_FIXED_NOW") or None
        self.SQLALCHEMY_DATABASE_URI = _database_url(self.INSTANCE_PATH)
        self.SECRET_KEY = _secret_key(self.INSTANCE_PATH)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    # Plain http on 127.0.0.1 during development; a Secure cookie would never be sent back.
    SESSION_COOKIE_SECURE = False


class ProductionConfig(Config):
    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("Set SECRET_KEY in the environment for production")


class TestingConfig(Config):
    __test__ = False  # not a pytest test class
    ENV_NAME = "test"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    # Each test run gets its own instance folder (set by tests/conftest.py through INSPECT_APP_INSTANCE).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    TIMELINESS_IMPORT_INLINE = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestingConfig,
}


def config_from_environment() -> Config:
    """Return the configuration object named by INSPECT_APP_ENV (development by default)."""
    name = os.environ.get("INSPECT_APP_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"INSPECT_APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None

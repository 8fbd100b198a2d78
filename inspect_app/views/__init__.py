"""HTTP layer: one blueprint per feature. Views are thin: load, build the form, validate, call a service."""

from inspect_app.views.admin import bp as admin_bp
from inspect_app.views.auth import bp as auth_bp
from inspect_app.views.benchmark_admin import bp as benchmark_admin_bp
from inspect_app.views.benchmarks import bp as benchmarks_bp
from inspect_app.views.evidence import bp as evidence_bp
from inspect_app.views.exports import bp as exports_bp
from inspect_app.views.feedback import bp as feedback_bp
from inspect_app.views.findings import bp as findings_bp
from inspect_app.views.frameworks import bp as frameworks_bp
from inspect_app.views.inspections import bp as inspections_bp
from inspect_app.views.main import bp as main_bp
from inspect_app.views.packs import bp as packs_bp
from inspect_app.views.partnerships import bp as partnerships_bp
from inspect_app.views.person_lists import bp as person_lists_bp
from inspect_app.views.readiness import bp as readiness_bp
from inspect_app.views.self_evaluation import bp as self_evaluation_bp
from inspect_app.views.timeliness import bp as timeliness_bp

# National statistics administration lives under /admin (endpoints admin.benchmarks.*).
admin_bp.register_blueprint(benchmark_admin_bp)

BLUEPRINTS = [
    main_bp,
    auth_bp,
    admin_bp,
    partnerships_bp,
    frameworks_bp,
    self_evaluation_bp,
    evidence_bp,
    inspections_bp,
    findings_bp,
    person_lists_bp,
    exports_bp,
    benchmarks_bp,
    feedback_bp,
    timeliness_bp,
    readiness_bp,
    packs_bp,
]

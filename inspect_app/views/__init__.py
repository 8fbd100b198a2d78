"""HTTP layer: one blueprint per feature. Views are thin: load, build the form, validate, call a service.

Everything a feature puts on pages shared with other features is listed here, once, in the order it is shown:
the blueprints, the dashboard's cards, the framework overview's badges and the self-evaluation page's live
panels. No module adds itself to a list when it is imported.
"""

from flask import Flask

from inspect_app import navigation
from inspect_app.views import (
    admin,
    auth,
    benchmark_admin,
    benchmarks,
    evidence,
    exports,
    feedback,
    findings,
    frameworks,
    inspections,
    main,
    packs,
    partnerships,
    person_lists,
    readiness,
    self_evaluation,
    timeliness,
)

# National statistics administration lives under /admin (endpoints admin.benchmarks.*): nested once, here.
admin.bp.register_blueprint(benchmark_admin.bp)

BLUEPRINTS = [
    main.bp,
    auth.bp,
    admin.bp,
    partnerships.bp,
    frameworks.bp,
    self_evaluation.bp,
    evidence.bp,
    inspections.bp,
    findings.bp,
    person_lists.bp,
    exports.bp,
    benchmarks.bp,
    feedback.bp,
    timeliness.bp,
    readiness.bp,
    packs.bp,
]

PLUGINS = navigation.Plugins(
    dashboard_cards=(
        readiness.dashboard_card,
        inspections.dashboard_card,
        exports.dashboard_card,
        benchmarks.dashboard_card,
        evidence.dashboard_card,
        feedback.dashboard_card,
        timeliness.dashboard_card,
    ),
    criterion_summaries=(
        benchmarks.criterion_badges,
        evidence.criterion_badges,
        feedback.criterion_badges,
        timeliness.criterion_badges,
    ),
    criterion_panels=(readiness.measures_panel, readiness.feedback_panel, timeliness.live_panel),
)


def init_app(app: Flask) -> None:
    """Register every blueprint and hand the shared pages their plug-ins."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    navigation.init_app(app, PLUGINS)

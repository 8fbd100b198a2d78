"""HTTP layer: one blueprint per feature. Views are thin: load, build the form, validate, call a service."""

from inspect_app.views.admin import bp as admin_bp
from inspect_app.views.auth import bp as auth_bp
from inspect_app.views.frameworks import bp as frameworks_bp
from inspect_app.views.main import bp as main_bp
from inspect_app.views.partnerships import bp as partnerships_bp
from inspect_app.views.self_evaluation import bp as self_evaluation_bp
from inspect_app.views.timeliness import bp as timeliness_bp

BLUEPRINTS = [main_bp, auth_bp, admin_bp, partnerships_bp, frameworks_bp, self_evaluation_bp, timeliness_bp]

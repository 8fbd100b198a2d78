"""HTTP layer: one blueprint per feature. Views are thin: load, build the form, validate, call a service."""

from inspect_app.views.admin import bp as admin_bp
from inspect_app.views.auth import bp as auth_bp
from inspect_app.views.feedback import bp as feedback_bp
from inspect_app.views.frameworks import bp as frameworks_bp
from inspect_app.views.main import bp as main_bp
from inspect_app.views.partnerships import bp as partnerships_bp

BLUEPRINTS = [main_bp, auth_bp, admin_bp, partnerships_bp, frameworks_bp, feedback_bp]
